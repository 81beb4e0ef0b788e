-- truncated.lua: a message larger than [policy] max-scan-size (64K here)
-- is judged on its first part and says so in X-Council-Protocol-Scan.
-- config: policy.max-scan-size=64K rule:member-obligation.action=tag
-- log: scan=truncated
dofile(lib)
local conn = open()
local m = obligation_message("Long")
m.chunks = filler_chunks(100 * 1024)
table.insert(m.chunks, 1, "Hello,\r\n\r\n" .. OBLIGATION .. "\r\n\r\n")
-- SIZE= at MAIL FROM, as a client declares it (RFC 1870): the whole
-- message, headers and body.
m.size = 0
for _, h in ipairs(m.headers) do m.size = m.size + #h[1] + 2 + #h[2] + 2 end
m.size = m.size + 2
for _, c in ipairs(m.chunks) do m.size = m.size + #c end
local stage = send(conn, m)
check(stage == "eom", "100 KB body reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "100 KB body at EOM")
check(added(conn), "breach in the scanned part found")
-- The filter skipped the rest of the body: the size is the one the client
-- declared at MAIL FROM, not what came before the skip.
local scan = mt.getheader(conn, SCAN_HEADER, 0)
check(scan == "partial, 65536 of " .. m.size .. " bytes",
      SCAN_HEADER .. " gives the message's size: " .. tostring(scan))
mt.disconnect(conn)

-- Without SIZE=, the filter knows only that the message is larger.
conn = open()
m.size = nil
stage = send(conn, m)
check_reply(conn, SMFIR_CONTINUE, "100 KB body without SIZE= at EOM")
scan = mt.getheader(conn, SCAN_HEADER, 0)
local bound = scan and tonumber(scan:match("^partial, 65536 of at least (%d+) bytes$"))
check(bound ~= nil and bound > 65536 and bound < 100 * 1024,
      SCAN_HEADER .. " says the size is unknown past the skip: " .. tostring(scan))
mt.disconnect(conn)
