-- clean.lua: a council message that breaks no rule passes at EOM with no
-- header added or changed, no quarantine and no SMTP reply.
-- log: checked from=<cllr.raj.patel@northmoor.gov.uk> role=member rcpts=1 action=accept
dofile(lib)
local conn = open()
local stage = send(conn, clean_message())
check(stage == "eom", "clean message reaches EOM (stopped at " .. stage .. ")")
local r = mt.getreply(conn)
check(r == SMFIR_CONTINUE or r == SMFIR_ACCEPT, "clean message at EOM: reply " .. reply_name(r))
check(not added(conn), "no " .. HEADER .. " added")
check(not mt.eom_check(conn, MT_HDRADD), "no header added at all")
check(not mt.eom_check(conn, MT_HDRCHANGE), "no header changed or deleted")
check(not quarantined(conn), "not quarantined")
mt.disconnect(conn)
