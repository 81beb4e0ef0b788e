-- onerror-tempfail.lua: when the filter itself fails (here: the body spool
-- cannot be created, temp-dir does not exist), on-error=tempfail tells the
-- MTA to try again later.  The daemon sets "451 4.7.1 ..." with
-- smfi_setreply, so libmilter answers SMFIR_REPLYCODE (not a bare
-- SMFIR_TEMPFAIL); miltertest cannot read a reply's text before EOM, so
-- the code is checked in the log line instead.  The connection then works.
-- config: milter.body-memory=4096 milter.temp-dir=@DIR@/missing milter.on-error=tempfail
-- log: filter failure: creating a body spool file in
-- log: on-error=tempfail
dofile(lib)
local conn = open()
local m = obligation_message("Too big to spool")
m.chunks = filler_chunks(200 * 1024)
local stage, r = send(conn, m)
check(stage == "eom", "a spool failure is answered at end of message (stopped at " .. stage .. ")")
check(r == SMFIR_REPLYCODE or r == SMFIR_TEMPFAIL, "on-error=tempfail: reply " .. reply_name(r))

-- The next message on the same connection, small enough for memory, works.
stage = send(conn, clean_message("Small"))
check(stage == "eom", "next message reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "next message at EOM")
mt.disconnect(conn)
