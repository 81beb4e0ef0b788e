-- hold.lua: officer-criticism=hold (the example's setting): the message is
-- quarantined by the MTA, tagged, and a notice is attempted (it fails
-- here: nothing listens on [notify] smtp, which is logged).
-- config: rule:officer-criticism.action=hold
-- log: held in the MTA's quarantine (Member/Officer Protocol: officer-criticism(South Ribble 16.2))
-- log: notice to cllr.jane.smith@northmoor.gov.uk not sent
-- log: no notice to cllr.jane.smith@northmoor.gov.uk (outside the council, null or automatic)
dofile(lib)
local conn = open()
local stage = send(conn, criticism_message())
check(stage == "eom", "criticism reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "held message at EOM")
check(mt.eom_check(conn, MT_QUARANTINE, "Member/Officer Protocol: officer-criticism(South Ribble 16.2)"),
      "quarantine requested, reason names rule and clause")
local value = mt.getheader(conn, HEADER, 0)
check(value == "officer-criticism; South Ribble 16.2; hold", HEADER .. ": " .. tostring(value))

-- An automatic message (Auto-Submitted) is held too, but gets no notice.
local m = criticism_message()
table.insert(m.headers, { "Auto-Submitted", "auto-replied" })
stage = send(conn, m)
check(quarantined(conn), "automatic message: quarantined as well")
mt.disconnect(conn)
