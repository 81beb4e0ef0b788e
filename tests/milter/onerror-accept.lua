-- onerror-accept.lua: the same spool failure with on-error=accept passes the
-- message unjudged: SMFIR_ACCEPT at the failing body chunk.
-- config: milter.body-memory=4096 milter.temp-dir=@DIR@/missing milter.on-error=accept rule:member-obligation.action=reject
-- log: on-error=accept
dofile(lib)
local conn = open()
local m = obligation_message("Too big to spool")
m.chunks = filler_chunks(200 * 1024)
local stage, r = send(conn, m)
check(stage == "body", "spool failure ends the message in the body (stopped at " .. stage .. ")")
check(r == SMFIR_ACCEPT, "on-error=accept: reply " .. reply_name(r))

-- A small breach on the same connection is still judged (and rejected).
stage = send(conn, obligation_message("Small"))
check(stage == "eom", "next message reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_REPLYCODE, "next message, a breach, at EOM")
mt.disconnect(conn)
