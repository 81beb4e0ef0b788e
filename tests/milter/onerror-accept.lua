-- onerror-accept.lua: the same spool failure with on-error=accept passes the
-- message unjudged: SMFIR_ACCEPT, answered at end of message (the body
-- step has no reply that could say it), without the verdict header the
-- sender forged (F11 of issue 9).
-- config: milter.body-memory=4096 milter.temp-dir=@DIR@/missing milter.on-error=accept rule:member-obligation.action=reject
-- log: on-error=accept
dofile(lib)
local conn = open()
local m = obligation_message("Too big to spool")
m.chunks = filler_chunks(200 * 1024)
table.insert(m.headers, { "X-Council-Protocol", "none; checked and clean" })
local stage, r = send(conn, m)
check(stage == "eom", "a spool failure is answered at end of message (stopped at " .. stage .. ")")
check(r == SMFIR_ACCEPT, "on-error=accept: reply " .. reply_name(r))
check(mt.eom_check(conn, MT_HDRDELETE, HEADER, 1), "on-error=accept: the forged " .. HEADER .. " is deleted")

-- A small breach on the same connection is still judged (and rejected).
stage = send(conn, obligation_message("Small"))
check(stage == "eom", "next message reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_REPLYCODE, "next message, a breach, at EOM")
mt.disconnect(conn)
