-- release.lua: a message council-review released comes back carrying its
-- release mark (X-Council-Protocol-Release: ID TOKEN).  The mark is
-- honoured once and only on the message that was held (issue 9 F8): a
-- copy of it on another body, or to another recipient, is ignored and
-- the message checked as usual (held again).
-- config: rule:officer-criticism.action=hold
-- log: came with another message: its body is not the one held
-- log: not a recipient the message was held for
-- log: let through to 2 recipient(s)
-- log: the release marker was used already
dofile(lib)
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

-- The genuine message passes, once, to the recipients it was held for.
send(conn, released())
check_reply(conn, SMFIR_CONTINUE, "the released message is let through")
check(added(conn, HEADER), "marked as released")
check(count_files("held") == 3, "nothing more held (" .. count_files("held") .. ")")
-- A replay of the used mark is checked as usual.
send(conn, released())
check_reply(conn, SMFIR_DISCARD, "the used mark again: held as any breach")
mt.disconnect(conn)
