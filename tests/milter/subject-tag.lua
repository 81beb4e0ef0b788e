-- subject-tag.lua: with [milter] subject-tag, a message with a finding gets
-- its Subject prefixed (changed in place, or added when it had none); a
-- message without a finding keeps its Subject.
-- config: rule:member-obligation.action=tag milter.subject-tag=[PROTOCOL]
dofile(lib)
local conn = open()

local stage = send(conn, obligation_message("Repairs at 4 Mill Lane"))
check(stage == "eom", "tagged message reaches EOM (stopped at " .. stage .. ")")
check(mt.eom_check(conn, MT_HDRCHANGE, "Subject", "[PROTOCOL] Repairs at 4 Mill Lane"),
      "Subject changed to \"[PROTOCOL] Repairs at 4 Mill Lane\"")
check(not mt.eom_check(conn, MT_HDRADD, "Subject"), "no second Subject added")
check(added(conn), HEADER .. " added too")

-- No Subject at all: one is added.
local m = obligation_message()
for i, h in ipairs(m.headers) do
  if h[1] == "Subject" then table.remove(m.headers, i) end
end
stage = send(conn, m)
local subject = mt.getheader(conn, "Subject", 0)
check(subject == "[PROTOCOL]",
      "Subject added to a message without one: [" .. tostring(subject) .. "]")

-- No finding: Subject untouched.
stage = send(conn, clean_message("Drains"))
check(not mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "clean message: Subject unchanged")
check(not mt.eom_check(conn, MT_HDRADD, "Subject"), "clean message: no Subject added")
mt.disconnect(conn)
