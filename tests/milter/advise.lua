-- advise.lua: [milter] mode=advise: notices only, never hold or reject.
-- hold and reject become warn: tagged, delivered, a notice attempted.
-- config: milter.mode=advise rule:officer-criticism.action=hold rule:member-obligation.action=reject
-- log: action=warn mode=advise rules=officer-criticism(South Ribble 16.2)
-- log: action=warn mode=advise rules=member-obligation(South Ribble 13.2)
-- log: notice to cllr.jane.smith@northmoor.gov.uk sent or queued
-- nolog: held in the MTA's quarantine
dofile(lib)
local conn = open()

local stage = send(conn, criticism_message())
check(stage == "eom", "criticism reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "advise mode, holding rule, at EOM")
check(not quarantined(conn), "advise mode: hold is not a quarantine")
check(added(conn), HEADER .. " added: " .. tostring(mt.getheader(conn, HEADER, 0)))

stage = send(conn, obligation_message())
check_reply(conn, SMFIR_CONTINUE, "advise mode, rejecting rule, at EOM")
check(not quarantined(conn), "advise mode: reject is not a quarantine either")
mt.disconnect(conn)
