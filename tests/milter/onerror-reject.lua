-- onerror-reject.lua: the same spool failure with on-error=reject refuses
-- the message (550 5.7.1 set with smfi_setreply: SMFIR_REPLYCODE).
-- config: milter.body-memory=4096 milter.temp-dir=@DIR@/missing milter.on-error=reject
-- log: on-error=reject
dofile(lib)
local conn = open()
local m = obligation_message("Too big to spool")
m.chunks = filler_chunks(200 * 1024)
local stage, r = send(conn, m)
check(stage == "eom", "a spool failure is answered at end of message (stopped at " .. stage .. ")")
check(r == SMFIR_REPLYCODE or r == SMFIR_REJECT, "on-error=reject: reply " .. reply_name(r))
mt.disconnect(conn)
