-- monitor.lua: [milter] mode=monitor: log and tag only.  A rejecting rule
-- and a holding rule both only tag: no reply code, no quarantine.
-- config: milter.mode=monitor rule:member-obligation.action=reject rule:officer-criticism.action=hold
-- log: action=tag mode=monitor rules=member-obligation(South Ribble 13.2)
-- log: action=tag mode=monitor rules=officer-criticism(South Ribble 16.2)
-- nolog: notice
dofile(lib)
local conn = open()

local stage = send(conn, obligation_message())
check(stage == "eom", "obligation reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "monitor mode, rejecting rule, at EOM")
check(added(conn), HEADER .. " added: " .. tostring(mt.getheader(conn, HEADER, 0)))
check(mt.eom_check(conn, MT_HDRADD, HEADER, "member-obligation; South Ribble 13.2; reject; mode=monitor"),
      "the header says the rule's action and the mode")
check(not quarantined(conn), "not quarantined")

stage = send(conn, criticism_message())
check_reply(conn, SMFIR_CONTINUE, "monitor mode, holding rule, at EOM")
check(added(conn), HEADER .. " added: " .. tostring(mt.getheader(conn, HEADER, 0)))
check(not quarantined(conn), "monitor mode: not quarantined")
mt.disconnect(conn)
