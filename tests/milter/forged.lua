-- forged.lua: X-Council-Protocol and X-Council-Protocol-Scan headers sent
-- by the client are deleted at EOM (smfi_chgheader with no value, which
-- miltertest records as MT_HDRDELETE), whatever their letter case.
-- log: removed 3 forged X-Council-Protocol header(s)
dofile(lib)
local conn = open()

-- A clean message carrying two forged verdicts and a forged scan note.
local m = clean_message()
table.insert(m.headers, 1, { "X-Council-Protocol", "member-obligation; South Ribble 13.2; off" })
table.insert(m.headers, { "x-council-protocol", "none" })
table.insert(m.headers, { "X-Council-Protocol-Scan", "everything was checked" })
local stage = send(conn, m)
check(stage == "eom", "message with forged headers reaches EOM (stopped at " .. stage .. ")")
check(mt.eom_check(conn, MT_HDRDELETE, HEADER, 1), "forged " .. HEADER .. " #1 deleted")
check(mt.eom_check(conn, MT_HDRDELETE, HEADER, 2), "forged " .. HEADER .. " #2 deleted")
check(not mt.eom_check(conn, MT_HDRDELETE, HEADER, 3), "no third " .. HEADER .. " deleted")
check(mt.eom_check(conn, MT_HDRDELETE, SCAN_HEADER, 1), "forged " .. SCAN_HEADER .. " deleted")
check(not added(conn), "clean message: no verdict header added")

-- A breach with a forged verdict: the forgery goes, the real one is added.
m = obligation_message()
table.insert(m.headers, { "X-Council-Protocol", "none" })
stage = send(conn, m)
check(stage == "eom", "breach with a forged header reaches EOM (stopped at " .. stage .. ")")
check(mt.eom_check(conn, MT_HDRDELETE, HEADER, 1), "forged header deleted on a breach")
check(mt.getheader(conn, HEADER, 0) == "member-obligation; South Ribble 13.2; hold",
      "real verdict header added: " .. tostring(mt.getheader(conn, HEADER, 0)))

-- A message without forgeries deletes nothing.
stage = send(conn, clean_message("Second"))
check(not mt.eom_check(conn, MT_HDRDELETE), "no forgery: nothing deleted")
mt.disconnect(conn)
