-- crashloop.lua: no crash loop (issue 9, item 3).  Run against the test
-- build of the daemon, where a header X-Council-Test-Crash makes it
-- abort() while judging the message.
--   phase 1: a clean message is judged; the poison message (queue id
--            CRASH1) kills the daemon at end of message.
--   phase 2: the daemon, started again, finds CRASH1 in its journal;
--            the MTA's retry of it (a new Received header, queue id
--            RETRY1) gets on-error (accept here) without being judged,
--            which would kill the test build again, with a LOG_ERR line
--            naming RETRY1, CRASH1 and the fingerprint; the clean message
--            of phase 1 is not poison, and a breach is judged (rejected).
-- daemon: tests/council-milter-crashtest
-- phases: 2
-- config: milter.on-error=accept rule:member-obligation.action=reject
-- log: journal: the daemon died judging queue id CRASH1 from <cllr.raj.patel@northmoor.gov.uk>
-- log: RETRY1: filter failure: poison message, not judged: the daemon died judging it as queue id CRASH1
-- log: on-error=accept
-- nolog: MT0001: filter failure
dofile(lib)

-- The poison message, as the MTA passes it on attempt RECEIVED_ID.
local function poison(id, received_id)
  local m = clean_message("Killer")
  m.id = id
  table.insert(m.headers, 1, { "Received", "from client.example.org by relay.northmoor.gov.uk (Postfix) " ..
                                           "with ESMTPSA id " .. received_id })
  table.insert(m.headers, { "X-Council-Test-Crash", "yes" })
  return m
end

-- The daemon's log as text.
local function log_text()
  local f = io.open(dir .. "/log", "r")
  local text = f and f:read("*a") or ""
  if f then f:close() end
  return text
end

local conn = open()
if phase == "1" then
  local stage = send(conn, clean_message("Before the crash"))
  check(stage == "eom", "phase 1: a clean message reaches EOM (stopped at " .. stage .. ")")
  check_reply(conn, SMFIR_CONTINUE, "phase 1: clean message judged")

  local m = poison("CRASH1", "CRASH1")
  m.stop = "body"
  stage = send(conn, m)
  check(stage == "body", "phase 1: poison message sent up to its body")
  local err = mt.eom(conn)
  check(err ~= nil, "phase 1: the poison message killed the daemon at end of message (" ..
        tostring(err) .. ")")
else
  local stage, r = send(conn, poison("RETRY1", "RETRY1"))
  check(stage == "eom", "phase 2: the retry reaches EOM (stopped at " .. stage .. ")")
  check(r == SMFIR_ACCEPT, "phase 2: the retry gets on-error=accept unjudged: reply " .. reply_name(r))

  local log = log_text()
  local found = log:match("died judging queue id CRASH1 from <[^>]*> %(fingerprint (%x+)%)")
  local refused = log:match("RETRY1: filter failure: poison message, not judged: .-fingerprint (%x+)")
  check(found ~= nil and #found == 64, "phase 2: start-up logged the poison's fingerprint")
  check(refused ~= nil and refused == found, "phase 2: the refusal names the same fingerprint")
  local f = found and io.open(dir .. "/spool/journal/poison/" .. found, "r")
  check(f ~= nil, "phase 2: the poison entry is on disk in spool/journal/poison/")
  if f then f:close() end

  stage = send(conn, clean_message("Before the crash"))
  check(stage == "eom", "phase 2: the clean message of phase 1 reaches EOM")
  check_reply(conn, SMFIR_CONTINUE, "phase 2: the clean message of phase 1 is judged, not poison")

  stage = send(conn, obligation_message("Another message"))
  check_reply(conn, SMFIR_REPLYCODE, "phase 2: another message is judged (a breach, rejected)")
end
mt.disconnect(conn)
