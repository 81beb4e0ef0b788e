-- spool.lua: a body larger than [milter] body-memory (4096 bytes here) is
-- spooled to a private, already unlinked file in temp-dir and still judged
-- whole: a ~200 KB body sent in 8 KB chunks gets a verdict with the breach
-- at its start and with the breach at its end (only in the spooled part).
-- config: milter.body-memory=4096 rule:member-obligation.action=tag
dofile(lib)
local conn = open()

-- The breach in the first part (in memory before the spill).
local m = obligation_message("Big one")
m.chunks = filler_chunks(200 * 1024)
table.insert(m.chunks, 1, "Hello,\r\n\r\n" .. OBLIGATION .. "\r\n\r\n")
local stage = send(conn, m)
check(stage == "eom", "200 KB body reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "200 KB body at EOM")
check(mt.getheader(conn, HEADER, 0) == "member-obligation; South Ribble 13.2; tag",
      "breach at the start of a spooled body found: " .. tostring(mt.getheader(conn, HEADER, 0)))
check(not added(conn, SCAN_HEADER), "whole message scanned: no " .. SCAN_HEADER)

-- The breach at the end (only in the spool file).
m = obligation_message("Big two")
m.chunks = filler_chunks(200 * 1024)
table.insert(m.chunks, "\r\n" .. OBLIGATION .. "\r\n\r\nRaj Patel\r\n")
stage = send(conn, m)
check_reply(conn, SMFIR_CONTINUE, "200 KB body, breach at the end, at EOM")
check(added(conn), "breach at the end of a spooled body found: " .. tostring(mt.getheader(conn, HEADER, 0)))

-- A big clean body: a verdict, and no finding.
m = clean_message("Big three")
m.chunks = filler_chunks(200 * 1024)
stage = send(conn, m)
check_reply(conn, SMFIR_CONTINUE, "200 KB clean body at EOM")
check(not added(conn), "200 KB clean body: no finding")

-- The spool files are unlinked at once: temp-dir stays empty.
local listing = io.popen("ls -A '" .. dir .. "/tmp'"):read("*a")
check(listing == "", "temp-dir left empty: [" .. listing .. "]")
mt.disconnect(conn)
