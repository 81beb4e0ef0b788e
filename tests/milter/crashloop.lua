-- crashloop.lua: no crash loop, and no innocent message held for it
-- (issue 9, item 3): two strikes.  Run against the test build of the
-- daemon, where a header X-Council-Test-Crash makes it abort() while
-- judging the message, and X-Council-Test-Stall: N holds it N seconds.
--   phase 1: a clean message is judged; an innocent message (INNO1,
--            stalling) is being judged when the killer (CRASH1) kills
--            the daemon: both were in flight.
--   phase 2: the daemon, started again, finds both in its journal:
--            suspects (first time), not poison.  The MTA retries both
--            at once: the innocent one (INNO2) is judged, alone, while
--            the killer's retry (RETRY1) waits for it, then is judged
--            and kills the daemon a second time.
--   phase 3: the killer was in flight at two deaths: poison.  Its next
--            retry (RETRY2) gets on-error (accept here) unjudged, which
--            would kill the test build again, with a LOG_ERR line naming
--            the queue ids and the fingerprint; the innocent one was in
--            flight at one death only: not poison, judged again; the
--            clean message of phase 1 and a breach are judged.
-- daemon: tests/council-milter-crashtest
-- phases: 3
-- config: milter.on-error=accept rule:member-obligation.action=reject
-- log: was in flight when the daemon died (second time; first as queue id CRASH1): poison until
-- log: , on-error accept applies
-- log: RETRY2: filter failure: poison message, not judged: it was in flight at 2 deaths of the daemon, as queue id CRASH1 first and RETRY1 last
-- log: on-error=accept
-- nolog: MT0001: filter failure
-- nolog: INNO3: filter failure
dofile(lib)

local STALL = 4 -- seconds a slow message is judged
local WAIT = 2  -- seconds its answer is awaited, no more

-- The killer, as the MTA passes it on attempt ID.
local function killer(id)
  local m = clean_message("Killer")
  m.id = id
  table.insert(m.headers, 1, { "Received", "from client.example.org by relay.northmoor.gov.uk (Postfix) " ..
                                           "with ESMTPSA id " .. id })
  table.insert(m.headers, { "X-Council-Test-Crash", "yes" })
  return m
end

-- The innocent message, slow to judge, as the MTA passes it on attempt ID.
local function innocent(id)
  local m = clean_message("Innocent")
  m.id = id
  table.insert(m.headers, 1, { "Received", "from client.example.org by relay.northmoor.gov.uk (Postfix) " ..
                                           "with ESMTPSA id " .. id })
  table.insert(m.headers, { "X-Council-Test-Stall", tostring(STALL) })
  return m
end

-- The daemon's log (of this phase) as text.
local function log_text()
  local f = io.open(dir .. "/log", "r")
  local text = f and f:read("*a") or ""
  if f then f:close() end
  return text
end

local function exists(path)
  local f = io.open(path, "r")
  if f then f:close() end
  return f ~= nil
end

-- Send M up to its end of message without waiting for the answer (the
-- filter is still judging it when the read times out).
local function send_unanswered(conn, m)
  m.stop = "body"
  local stage = send(conn, m)
  check(stage == "body", "phase " .. phase .. ": " .. m.id .. " sent up to its body")
  mt.set_timeout(WAIT)
  local ok, err = pcall(mt.eom, conn)
  mt.set_timeout(10)
  check(not ok or err ~= nil, "phase " .. phase .. ": " .. m.id .. " is being judged, no answer yet (" ..
        tostring(err) .. ")")
end

-- Send the killer M: its end of message kills the daemon.
local function send_killer(conn, m, what)
  m.stop = "body"
  local stage = send(conn, m)
  check(stage == "body", "phase " .. phase .. ": " .. m.id .. " sent up to its body")
  local ok, err = pcall(mt.eom, conn)
  check(not ok or err ~= nil, "phase " .. phase .. ": " .. what .. " (" .. tostring(err) .. ")")
end

-- The fingerprint of the message that start-up found in flight as QUEUE_ID, and the line.
local function struck(log, queue_id, count)
  local fp = log:match("journal: message (%x+) %(queue id " .. queue_id .. " from <[^>]*>%) was in flight " ..
                       "when the daemon died %(" .. count)
  return fp
end

local spool = dir .. "/spool/journal/"

if phase == "1" then
  local conn = open()
  local stage = send(conn, clean_message("Before the crash"))
  check(stage == "eom", "phase 1: a clean message reaches EOM (stopped at " .. stage .. ")")
  check_reply(conn, SMFIR_CONTINUE, "phase 1: clean message judged")

  local slow = open()
  send_unanswered(slow, innocent("INNO1"))
  send_killer(open(), killer("CRASH1"), "the killer killed the daemon at end of message, INNO1 still in flight")

elseif phase == "2" then
  local log = log_text()
  local killer_fp = struck(log, "CRASH1", "first time%): suspect until ")
  local innocent_fp = struck(log, "INNO1", "first time%): suspect until ")
  check(killer_fp ~= nil and #killer_fp == 64, "phase 2: start-up found the killer CRASH1 in flight: suspect")
  check(innocent_fp ~= nil and #innocent_fp == 64, "phase 2: start-up found INNO1 in flight: suspect")
  check(not log:find("poison until", 1, true), "phase 2: nothing is poison after one death")
  check(killer_fp and exists(spool .. "suspect/" .. killer_fp), "phase 2: the killer's suspect entry is on disk")
  check(innocent_fp and exists(spool .. "suspect/" .. innocent_fp), "phase 2: INNO1's suspect entry is on disk")
  check(killer_fp and not exists(spool .. "poison/" .. killer_fp), "phase 2: no poison entry for the killer")

  -- The MTA retries both at once: the innocent one first.
  local slow = open()
  send_unanswered(slow, innocent("INNO2"))
  send_killer(open(), killer("RETRY1"), "the killer's retry, judged after INNO2, killed the daemon again")

  log = log_text()
  local judged = log:find("INNO2: checked from=<", 1, true)
  local alone = log:find("INNO2: message " .. tostring(innocent_fp) .. " was in flight when the daemon died " ..
                         "(found ", 1, true)
  local killer_turn = log:find("RETRY1: message " .. tostring(killer_fp) .. " was in flight when the daemon " ..
                               "died (found ", 1, true)
  check(alone ~= nil, "phase 2: INNO2 was judged alone, a suspect")
  check(judged ~= nil, "phase 2: INNO2 was judged to its end (checked)")
  check(killer_turn ~= nil and judged ~= nil and judged < killer_turn,
        "phase 2: the killer's retry was judged only after INNO2 was")
  check(not log:find("INNO2: filter failure", 1, true), "phase 2: INNO2 did not get on-error")

else
  local log = log_text()
  local killer_fp = log:match("journal: message (%x+) %(queue id RETRY1 from <[^>]*>%) was in flight when " ..
                              "the daemon died %(second time; first as queue id CRASH1%): poison until " ..
                              "[^,]+, on%-error accept applies")
  check(killer_fp ~= nil and #killer_fp == 64, "phase 3: start-up found the killer in flight a second time: poison")
  check(killer_fp and exists(spool .. "poison/" .. killer_fp), "phase 3: the poison entry is on disk")
  check(killer_fp and not exists(spool .. "suspect/" .. killer_fp), "phase 3: no suspect entry left for it")
  check(not log:find("INNO", 1, true), "phase 3: start-up found nothing against the innocent message")

  local conn = open()
  local stage, r = send(conn, killer("RETRY2"))
  check(stage == "eom", "phase 3: the killer's retry reaches EOM (stopped at " .. stage .. ")")
  check(r == SMFIR_ACCEPT, "phase 3: the killer's retry gets on-error=accept unjudged: reply " .. reply_name(r))
  log = log_text()
  local refused = log:match("RETRY2: filter failure: poison message, not judged: .-fingerprint (%x+)")
  check(refused ~= nil and refused == killer_fp, "phase 3: the refusal names the killer's fingerprint")

  stage = send(conn, innocent("INNO3"))
  check(stage == "eom", "phase 3: the innocent message reaches EOM (stopped at " .. stage .. ")")
  check_reply(conn, SMFIR_CONTINUE, "phase 3: the innocent message, in flight at one death only, is judged")
  log = log_text()
  check(log:find("INNO3: checked from=<", 1, true) ~= nil, "phase 3: INNO3 was checked")

  stage = send(conn, clean_message("Before the crash"))
  check(stage == "eom", "phase 3: the clean message of phase 1 reaches EOM")
  check_reply(conn, SMFIR_CONTINUE, "phase 3: the clean message of phase 1 is judged, not poison")

  stage = send(conn, obligation_message("Another message"))
  check_reply(conn, SMFIR_REPLYCODE, "phase 3: another message is judged (a breach, rejected)")
  mt.disconnect(conn)
end
