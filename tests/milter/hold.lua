-- hold.lua: officer-criticism=hold (the example's setting): the message is
-- written to the hold spool and the MTA told to discard its copy; the
-- Monitoring Officer's notice and the sender's are kept in the outbox
-- (nothing listens on [notify] smtp here).  An automatic message is held
-- too, with no notice to its sender.
-- config: rule:officer-criticism.action=hold
-- log: held as
-- log: (officer-criticism(South Ribble 16.2))
-- log: notice to cllr.jane.smith@northmoor.gov.uk sent or queued
-- log: no notice to cllr.jane.smith@northmoor.gov.uk (outside the council, null or automatic)
-- nolog: quarantine
dofile(lib)
local conn = open()
local stage = send(conn, criticism_message())
check(stage == "eom", "criticism reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_DISCARD, "held message at EOM")
check(not quarantined(conn), "not the MTA's quarantine: the hold store")
check(count_files("held") == 1, "one message in the hold spool (" .. count_files("held") .. ")")
-- The Monitoring Officer's notice and the sender's wait in the outbox.
check(count_files("outbox") == 2, "two notices kept in the outbox (" .. count_files("outbox") .. ")")

-- An automatic message (Auto-Submitted) is held too, but gets no notice.
local m = criticism_message()
table.insert(m.headers, { "Auto-Submitted", "auto-replied" })
stage = send(conn, m)
check_reply(conn, SMFIR_DISCARD, "automatic message: held as well")
check(count_files("held") == 2, "two messages in the hold spool")
check(count_files("outbox") == 3, "only the Monitoring Officer's notice added (" .. count_files("outbox") .. ")")
mt.disconnect(conn)
