-- tag.lua: a rule set to tag: the message passes at EOM with one
-- X-Council-Protocol header "RULE; CLAUSE; ACTION" per finding.
-- config: rule:member-obligation.action=tag rule:bcc-member.action=tag
-- log: action=tag mode=enforce rules=member-obligation(South Ribble 13.2)
-- nolog: notice
dofile(lib)
local conn = open()
local stage = send(conn, obligation_message())
check(stage == "eom", "tagged message reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "tagged message at EOM")
local value = mt.getheader(conn, HEADER, 0)
check(value == "member-obligation; South Ribble 13.2; tag", HEADER .. ": " .. tostring(value))
check(mt.getheader(conn, HEADER, 1) == nil, "only one " .. HEADER .. " header")
check(not quarantined(conn), "not quarantined")
check(not mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "no subject-tag configured: Subject unchanged")

-- Two findings (to Tom Baker, a blind copy to Emily Wright too): two
-- headers.  (miltertest's getheader counts from the last one added, so
-- each is looked for by value.)
local m = obligation_message("Repairs again", TOM)
m.rcpt = { TOM, EMILY }
stage = send(conn, m)
check(stage == "eom", "two findings: message reaches EOM (stopped at " .. stage .. ")")
check(mt.eom_check(conn, MT_HDRADD, HEADER, "bcc-member; Newton Abbot 13; tag"),
      HEADER .. " for bcc-member added")
check(mt.eom_check(conn, MT_HDRADD, HEADER, "member-obligation; South Ribble 13.2; tag"),
      HEADER .. " for member-obligation added")
check(mt.getheader(conn, HEADER, 2) == nil, "no third " .. HEADER)
mt.disconnect(conn)
