-- truncated.lua: a message larger than [policy] max-scan-size (64K here)
-- is judged on its first part and says so in X-Council-Protocol-Scan.
-- config: policy.max-scan-size=64K rule:member-obligation.action=tag
-- log: scan=truncated
dofile(lib)
local conn = open()
local m = obligation_message("Long")
m.chunks = filler_chunks(100 * 1024)
table.insert(m.chunks, 1, "Hello,\r\n\r\n" .. OBLIGATION .. "\r\n\r\n")
local stage = send(conn, m)
check(stage == "eom", "100 KB body reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "100 KB body at EOM")
check(added(conn), "breach in the scanned part found")
local scan = mt.getheader(conn, SCAN_HEADER, 0)
check(scan ~= nil and scan:match("^only the first %d+ bytes of %d+ were checked$") ~= nil,
      SCAN_HEADER .. ": " .. tostring(scan))
mt.disconnect(conn)
