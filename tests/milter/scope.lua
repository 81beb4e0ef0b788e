-- scope.lua: only outgoing council mail is checked (DESIGN.md, "Mail flow").
-- Mail from outside the council without SMTP authentication is accepted at
-- MAIL FROM; a council or directory address, or an authenticated client,
-- is checked.  member-obligation rejects here, so "checked" shows at EOM.
-- config: rule:member-obligation.action=reject
-- log: checked from=<resident@example.org>
dofile(lib)
local conn = open()

-- An outside sender, not authenticated: accepted at once.
local m = obligation_message()
m.from = RESIDENT
local stage = send(conn, m)
check(stage == "mail", "external sender: transaction ends at MAIL FROM")
check_reply(conn, SMFIR_ACCEPT, "external sender at MAIL FROM")

-- The null sender (a bounce) is not council mail either.
m.from = ""
stage = send(conn, m)
check_reply(conn, SMFIR_ACCEPT, "null sender at MAIL FROM")

-- The same outside sender, authenticated ({auth_authen} at MAIL): checked,
-- and the From header in a member's name makes member-obligation fire.
m.from = RESIDENT
m.auth = "someone"
stage = send(conn, m)
check(stage == "eom", "authenticated external sender: continues to EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_REPLYCODE, "authenticated external sender at EOM")

-- A council address, in other letter case: checked.
m = clean_message()
m.from = "Cllr.Raj.Patel@NorthMoor.gov.UK"
stage = send(conn, m)
check(stage == "eom", "council address in mixed case: continues to EOM (stopped at " .. stage .. ")")

-- A member's personal address from the directory: checked.
m = obligation_message()
m.from = "raj.patel@outlook.com"
stage = send(conn, m)
check(stage == "eom", "member's personal address: continues to EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_REPLYCODE, "member's personal address with an obligation at EOM")

-- Any other address in a council domain (an unnamed officer): checked.
m = clean_message()
m.from = "planning@northmoor.gov.uk"
stage = send(conn, m)
check(stage == "eom", "unnamed council address: continues to EOM (stopped at " .. stage .. ")")

mt.disconnect(conn)
