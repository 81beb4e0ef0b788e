-- lib.lua: helpers shared by the scenario scripts of tests/milter/.
--
-- run.sh starts one council-milter per scenario and runs miltertest with
--   -D port=PORT  the daemon listens on inet:PORT@127.0.0.1
--   -D pid=PID    the daemon's process id (for SIGUSR1)
--   -D dir=DIR    the scenario's scratch directory: council-milter.conf,
--                 alt.conf (if the script asks for one), tmp/ (temp-dir),
--                 spool/ (the hold spool)
--   -D lib=FILE   this file; a script starts with dofile(lib)
-- A script reports each check as a line "ok - WHAT" or "not ok - WHAT",
-- which run.sh numbers; a failure of the protocol itself (a step that
-- miltertest cannot perform) raises a Lua error, which run.sh reports too.

SOCKET = "inet:" .. port .. "@127.0.0.1"

-- The example council's people (config/directory.conf).
JANE = "cllr.jane.smith@northmoor.gov.uk"   -- member, chair
RAJ = "cllr.raj.patel@northmoor.gov.uk"     -- member, leader
EMILY = "cllr.emily.wright@northmoor.gov.uk" -- member
TOM = "tom.baker@northmoor.gov.uk"          -- officer, Head of Planning
RESIDENT = "resident@example.org"           -- outside the council

-- Sentences the engine fires on.
OBLIGATION = "The council will pay for the repairs."
CRITICISM = "The Head of Planning has been utterly incompetent over this."

HEADER = "X-Council-Protocol"
SCAN_HEADER = "X-Council-Protocol-Scan"

local reply_names = {
  [SMFIR_CONTINUE] = "CONTINUE", [SMFIR_ACCEPT] = "ACCEPT",
  [SMFIR_REJECT] = "REJECT", [SMFIR_TEMPFAIL] = "TEMPFAIL",
  [SMFIR_DISCARD] = "DISCARD", [SMFIR_REPLYCODE] = "REPLYCODE",
}

function reply_name(r)
  return reply_names[r] or string.format("'%s'", string.char(math.floor(r)))
end

function check(cond, what)
  print((cond and "ok - " or "not ok - ") .. what)
  return cond
end

-- WHAT's reply is WANT (an SMFIR_* constant).
function check_reply(conn, want, what)
  local got = mt.getreply(conn)
  return check(got == want, what .. ": reply " .. reply_name(got) ..
               (got == want and "" or " (wanted " .. reply_name(want) .. ")"))
end

-- A miltertest call that must work: it returns nil or an error string.
function must(err, what)
  if err ~= nil then
    error(what .. ": " .. tostring(err))
  end
end

-- A new SMTP connection through the filter, up to HELO.
function open()
  local conn = mt.connect(SOCKET, 50, 0.1)
  if conn == nil then
    error("cannot connect to " .. SOCKET)
  end
  must(mt.conninfo(conn, "client.example.org", "127.0.0.1"), "conninfo")
  -- No HELO: the filter negotiates it away (SMFIP_NOHELO), as a real MTA
  -- then never sends it.
  return conn
end

local serial = 0

-- Send one message up to end-of-message and return the stage that ended it
-- ("mail", "rcpt", "header", "eoh", "body" or "eom") and the reply there.
-- M = { from = ADDR, rcpt = { ADDR... }, auth = LOGIN or nil, id = QUEUE-ID or nil,
--       headers = { { NAME, VALUE }... },
--       body = TEXT or chunks = { TEXT... }, stop = STAGE or nil,
--       size = SIZE= at MAIL FROM or nil }
-- With stop = "body" it returns after the body, before end-of-message.
function send(conn, m)
  serial = serial + 1
  local id = m.id or string.format("MT%04d", serial)
  if m.auth then
    must(mt.macro(conn, SMFIC_MAIL, "i", id, "{auth_authen}", m.auth), "macro")
  else
    must(mt.macro(conn, SMFIC_MAIL, "i", id), "macro")
  end
  if m.size then
    must(mt.mailfrom(conn, "<" .. m.from .. ">", "SIZE=" .. m.size), "MAIL FROM")
  else
    must(mt.mailfrom(conn, "<" .. m.from .. ">"), "MAIL FROM")
  end
  if mt.getreply(conn) ~= SMFIR_CONTINUE then
    return "mail", mt.getreply(conn)
  end
  for _, r in ipairs(m.rcpt or { RESIDENT }) do
    must(mt.rcptto(conn, "<" .. r .. ">"), "RCPT TO")
    if mt.getreply(conn) ~= SMFIR_CONTINUE then
      return "rcpt", mt.getreply(conn)
    end
  end
  for _, h in ipairs(m.headers or {}) do
    must(mt.header(conn, h[1], h[2]), "header " .. h[1])
    if mt.getreply(conn) ~= SMFIR_CONTINUE then
      return "header", mt.getreply(conn)
    end
  end
  must(mt.eoh(conn), "EOH")
  if mt.getreply(conn) ~= SMFIR_CONTINUE then
    return "eoh", mt.getreply(conn)
  end
  for _, chunk in ipairs(m.chunks or { m.body or "Hello.\r\n" }) do
    must(mt.bodystring(conn, chunk), "body")
    -- SKIP: the filter has read all it needs; the MTA goes on to EOM.
    if mt.getreply(conn) == SMFIR_SKIP then
      break
    end
    if mt.getreply(conn) ~= SMFIR_CONTINUE then
      return "body", mt.getreply(conn)
    end
  end
  if m.stop == "body" then
    return "body", mt.getreply(conn)
  end
  must(mt.eom(conn), "EOM")
  return "eom", mt.getreply(conn)
end

-- A plain letter: FROM (member or officer) to the addresses in TO, with
-- optional CC, carrying TEXT as its one paragraph.
function letter(from, to, cc, subject, text)
  local headers = {
    { "From", from },
    { "To", table.concat(to, ", ") },
  }
  if cc and #cc > 0 then
    headers[#headers + 1] = { "Cc", table.concat(cc, ", ") }
  end
  if subject then
    headers[#headers + 1] = { "Subject", subject }
  end
  headers[#headers + 1] = { "Date", "Mon, 10 Jun 2024 09:00:00 +0100" }
  headers[#headers + 1] = { "Message-ID", "<" .. (subject or "none"):gsub("%W", "") .. "@northmoor.gov.uk>" }
  return headers, "Hello,\r\n\r\n" .. text .. "\r\n\r\nRegards\r\n"
end

-- The member-obligation breach, from Raj Patel to a resident (or TO).
function obligation_message(subject, to)
  to = to or RESIDENT
  local headers, body = letter("Raj Patel <" .. RAJ .. ">", { to }, nil, subject or "Repairs", OBLIGATION)
  return { from = RAJ, rcpt = { to }, headers = headers, body = body }
end

-- A message that breaks no rule, from Raj Patel to Tom Baker.
function clean_message(subject)
  local headers, body = letter("Raj Patel <" .. RAJ .. ">", { "Tom Baker <" .. TOM .. ">" }, nil,
                               subject or "Drains", "Could you look at the drains on Mill Lane?")
  return { from = RAJ, rcpt = { TOM }, headers = headers, body = body }
end

-- The officer-criticism breach: Jane Smith to Tom Baker, Raj Patel in Cc.
function criticism_message()
  local headers, body = letter("Jane Smith <" .. JANE .. ">", { "Tom Baker <" .. TOM .. ">" },
                               { "Cllr Raj Patel <" .. RAJ .. ">" }, "Planning delays", CRITICISM)
  return { from = JANE, rcpt = { TOM, RAJ }, headers = headers, body = body }
end

-- Did end-of-message add a verdict header, quarantine, or set a reply?
function added(conn, name) return mt.eom_check(conn, MT_HDRADD, name or HEADER) end
function quarantined(conn) return mt.eom_check(conn, MT_QUARANTINE) end

-- MT_SMTPREPLY compares the whole reply with "CODE ESC TEXT", so a
-- multi-line reply is given whole: the last " ESC " splits it.
function replied(conn, full)
  local code, esc, text = full:match("^(.*) (%d%.%d+%.%d+) (.*)$")
  return mt.eom_check(conn, MT_SMTPREPLY, code, esc, text)
end

-- LENGTH bytes of harmless filler, in chunks of at most 8 KB.
function filler_chunks(length)
  local line = "The minutes of the last meeting are attached for reference.\r\n"
  local chunk = string.rep(line, math.floor(8192 / #line))
  local chunks = {}
  local sent = 0
  while sent < length do
    chunks[#chunks + 1] = chunk
    sent = sent + #chunk
  end
  return chunks
end

-- How many messages the hold spool keeps, and the outbox waits to send.
function count_files(subdir)
  local pipe = io.popen("ls -A '" .. dir .. "/spool/" .. subdir .. "' 2>/dev/null | grep -cv '^tmp$\\|^failed$'")
  local n = tonumber(pipe:read("*l")) or 0
  pipe:close()
  return n
end

-- Run a shell command (for kill -USR1 and config files).
function shell(command)
  local ok = os.execute(command)
  if not ok then
    error("command failed: " .. command)
  end
end
