-- reject.lua: member-obligation=reject: EOM answers with a 550 5.7.1
-- reply (SMFIR_REPLYCODE) whose first line names the paragraph and whose
-- second says what to do instead; nothing is added or quarantined, and
-- the sender also gets a notice (kept in the outbox here).
-- config: rule:member-obligation.action=reject
-- log: action=reject mode=enforce rules=member-obligation(South Ribble 13.2)
-- log: notice to cllr.raj.patel@northmoor.gov.uk sent or queued
dofile(lib)
local conn = open()
local stage = send(conn, obligation_message())
check(stage == "eom", "obligation reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_REPLYCODE, "rejected message at EOM")
-- MT_SMTPREPLY compares whole replies only: this is the expected one.
local line1 = "Refused under the Member/Officer Protocol, South Ribble 13.2: obligation or " ..
              "instruction on behalf of the council in the name of Councillor Raj Patel"
local line2 = "What to do instead: Ask the relevant officer to write on the council's behalf: " ..
              "letters and emails that create obligations or give instructions for the council " ..
              "go in an officer's name, never a councillor's. As a ward councillor, say that " ..
              "you write in that capacity."
check(replied(conn, "550-5.7.1 " .. line1 .. "\r\n550 5.7.1 " .. line2),
      "reply is 550 5.7.1, naming South Ribble 13.2 and the advice")
check(not added(conn), "no header added to a rejected message")
check(not quarantined(conn), "not quarantined")

-- To Tom Baker with a blind copy to Emily Wright: a warn finding
-- (bcc-member) comes first, the rejecting one second; the reply names the
-- rejecting finding's paragraph.
local m = obligation_message("Repairs again", TOM)
m.rcpt = { TOM, EMILY }
stage = send(conn, m)
check_reply(conn, SMFIR_REPLYCODE, "warn and reject findings at EOM")
check(replied(conn, "550-5.7.1 " .. line1 .. "\r\n550 5.7.1 " .. line2),
      "reply names the rejecting rule's paragraph, not the first finding's")

-- The connection goes on: a clean message after the rejection passes.
stage = send(conn, clean_message())
check(stage == "eom", "next message on the connection reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "next clean message at EOM")
mt.disconnect(conn)
