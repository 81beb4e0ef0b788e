-- partial.lua: bounded work per message (issue 9 item 2, F4, F6).  A
-- message read only in part (multipart deeper than max-mime-depth, more
-- header fields than max-headers) says so in X-Council-Protocol-Scan;
-- [policy] partial (hold, for a client that authenticated) holds it, and
-- partial-unauthenticated (accept) lets it through.  Header fields go to
-- the spool past body-memory (4K here) and none is lost from a hold.
-- config: milter.body-memory=4K policy.max-headers=100
-- log: scan=partial(mime-depth 33 > 32) partial=hold
-- log: scan=partial(headers 3005 > 100) partial=accept
-- log: (scan read in part)
dofile(lib)

-- Clean words, 40 multiparts deep: nothing the rules fire on.
local function deep_message(auth)
  local headers, _ = letter("Raj Patel <" .. RAJ .. ">", { RESIDENT }, nil, "Deep", "")
  headers[#headers + 1] = { "MIME-Version", "1.0" }
  headers[#headers + 1] = { "Content-Type", 'multipart/mixed; boundary="b0"' }
  local body = "--b0\r\n"
  for i = 1, 39 do
    body = body .. 'Content-Type: multipart/mixed; boundary="b' .. i .. '"\r\n\r\n--b' .. i .. "\r\n"
  end
  body = body .. "Content-Type: text/plain\r\n\r\n" .. OBLIGATION .. "\r\n"
  for i = 39, 0, -1 do body = body .. "--b" .. i .. "--\r\n" end
  return { from = RAJ, rcpt = { RESIDENT }, auth = auth, headers = headers, body = body }
end

-- A councillor who logged in: held for the Monitoring Officer.
local conn = open()
local stage = send(conn, deep_message("raj"))
check(stage == "eom", "deep message reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_DISCARD, "authenticated, read in part: held")
check(count_files("held") == 1, "one message in the hold spool (" .. count_files("held") .. ")")
check(mt.eom_check(conn, MT_HDRADD, SCAN_HEADER, "partial, mime-depth 33 > 32"),
      SCAN_HEADER .. " names the cap")
mt.disconnect(conn)

-- The same from a client that did not log in: delivered, and said.
conn = open()
stage = send(conn, deep_message(nil))
check_reply(conn, SMFIR_CONTINUE, "unauthenticated, read in part: delivered")
check(mt.getheader(conn, SCAN_HEADER, 0) == "partial, mime-depth 33 > 32",
      SCAN_HEADER .. ": " .. tostring(mt.getheader(conn, SCAN_HEADER, 0)))
check(not added(conn), "no finding header")
mt.disconnect(conn)

-- F6: 3,000 small header fields, past body-memory and max-headers.
local function many_headers(auth)
  local m = clean_message("Many headers")
  m.auth = auth
  for i = 1, 3000 do m.headers[#m.headers + 1] = { "X-Filler-" .. i, "value" } end
  return m
end
conn = open()
stage = send(conn, many_headers(nil))
check_reply(conn, SMFIR_CONTINUE, "many headers, unauthenticated: delivered")
check(mt.getheader(conn, SCAN_HEADER, 0) == "partial, headers 3005 > 100",
      SCAN_HEADER .. ": " .. tostring(mt.getheader(conn, SCAN_HEADER, 0)))
mt.disconnect(conn)

conn = open()
stage = send(conn, many_headers("raj"))
check_reply(conn, SMFIR_DISCARD, "many headers, authenticated: held")
-- Never lose mail: every field is in the held copy.
local pipe = io.popen("cat '" .. dir .. "/spool/held/'*.eml | grep -c '^X-Filler-'")
local kept = tonumber(pipe:read("*l")) or 0
pipe:close()
check(kept == 3000, "the held copies keep all 3,000 fields (" .. kept .. ")")
mt.disconnect(conn)
