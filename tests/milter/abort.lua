-- abort.lua: a message aborted mid-body (SMFIC_ABORT) leaves nothing
-- behind: the next message on the same connection is judged on its own
-- envelope and headers (no blind copy, no forged header of the aborted one).
-- config: rule:member-obligation.action=reject
dofile(lib)
local conn = open()

-- An aborted breach to Tom Baker with a blind copy to Emily Wright (which
-- bcc-member would flag) and a forged verdict header.
local m = obligation_message("Aborted", TOM)
m.rcpt = { TOM, EMILY }
table.insert(m.headers, { "X-Council-Protocol", "none" })
m.stop = "body"
local stage = send(conn, m)
check(stage == "body", "first message: body sent")
must(mt.abort(conn), "abort")

-- A clean message to Tom alone: no finding, nothing deleted, nothing added.
stage = send(conn, clean_message("After the abort"))
check(stage == "eom", "after an abort: next message reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "after an abort: clean message at EOM")
check(not added(conn), "no finding carried over (no bcc-member from the aborted envelope)")
check(not mt.eom_check(conn, MT_HDRDELETE), "no forged header carried over")

-- Abort a second message (no headers at all), then a breach: rejected.
stage = send(conn, { from = RAJ, rcpt = { TOM }, stop = "body" })
must(mt.abort(conn), "abort")
stage = send(conn, obligation_message("Breach after abort"))
check_reply(conn, SMFIR_REPLYCODE, "after a second abort: breach rejected")
mt.disconnect(conn)
