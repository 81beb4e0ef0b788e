-- release.lua: a message council-review released comes back carrying its
-- release mark (X-Council-Protocol-Release: ID TOKEN).  The mark is
-- honoured once and only on the message that was held (issue 9 F8): a
-- copy of it on another body, or to another recipient, is ignored and
-- the message checked as usual (held again).  A genuine mark that meets
-- a locked index is answered 451, not taken for a forgery (F7): the MTA
-- tries again, and then the message passes.
-- config: rule:officer-criticism.action=hold
-- log: came with another message: its body is not the one held
-- log: not a recipient the message was held for
-- log: cannot be checked now, the MTA is told to try again later
-- log: let through to 2 recipient(s)
-- log: the release marker was used already
dofile(lib)
mt.set_timeout(30)
local spool = dir .. "/spool"
local holdctl = "python3 '" .. lib:gsub("lib%.lua$", "holdctl.py") .. "'"

local conn = open()
send(conn, criticism_message())
check_reply(conn, SMFIR_DISCARD, "the breach is held")

-- The Monitoring Officer releases it: the mark as council-review writes it.
local pipe = io.popen(holdctl .. " release '" .. spool .. "'")
local mark = pipe:read("*l")
pipe:close()
check(mark ~= nil and mark:match("^%S+ %x+$") ~= nil, "release mark made: " .. tostring(mark))

-- The held message as re-injected: the same body, envelope and headers.
local function released(change)
  local m = criticism_message()
  table.insert(m.headers, 1, { "X-Council-Protocol-Release", mark })
  if change then change(m) end
  return m
end

-- A copy of the mark on another body is no release: checked, held again.
send(conn, released(function (m) m.body = m.body:gsub("utterly incompetent", "utterly useless") end))
check_reply(conn, SMFIR_DISCARD, "the mark on another body: held as any breach")
check(count_files("held") == 2, "held again (" .. count_files("held") .. " in the spool)")
-- Nor to a recipient the message was not held for.
send(conn, released(function (m) table.insert(m.rcpt, "news@northmoorgazette.co.uk") end))
check_reply(conn, SMFIR_DISCARD, "the mark to another recipient: held as any breach")

-- The genuine message while another process holds the index: 451, retried.
os.remove(dir .. "/locked")
shell(holdctl .. " lock '" .. spool .. "' 8 '" .. dir .. "/locked' &")
for _ = 1, 100 do
  if io.open(dir .. "/locked") then break end
  mt.sleep(0.1)
end
local stage, reply = send(conn, released())
check(reply == SMFIR_TEMPFAIL or reply == SMFIR_REPLYCODE,
      "genuine mark on a locked index: tempfail (reply " .. reply_name(reply) .. ")")
check(replied(conn, "451 4.3.0 The council's mail filter cannot check this released message just now; try again later"),
      "451 4.3.0 asks the MTA to try again")
check(count_files("held") == 3, "not held again (" .. count_files("held") .. " in the spool)")
mt.sleep(8)

-- The MTA's retry passes, once, to the recipients it was held for.
send(conn, released())
check_reply(conn, SMFIR_CONTINUE, "the retry is let through")
check(added(conn, HEADER), "marked as released")
check(count_files("held") == 3, "nothing more held (" .. count_files("held") .. ")")
-- A replay of the used mark is checked as usual.
send(conn, released())
check_reply(conn, SMFIR_DISCARD, "the used mark again: held as any breach")
mt.disconnect(conn)
