-- disclose.lua: bcc-member with action disclose.  A blind copy to a
-- councillor is made open: "CC Councillor X" is added at the foot of the
-- body (in the part's own encoding), the message is delivered and tagged
-- and a notice is attempted.  A DKIM-signed body is not changed: it falls
-- back to warn, and the log says why.
-- config: rule:bcc-member.action=disclose
-- log: disclosed the blind copy: "CC Councillor Emily Wright" added
-- log: blind copy not disclosed: it carries a DKIM signature over its body
dofile(lib)
local conn = open()

-- Raj writes to Tom; Emily Wright is only on the envelope.
local m = clean_message("Mill Lane")
m.rcpt = { TOM, EMILY }
local stage = send(conn, m)
check(stage == "eom", "blind copy reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "disclosed message at EOM")
local value = mt.getheader(conn, HEADER, 0)
check(value == "bcc-member; Newton Abbot 13; disclose", HEADER .. ": " .. tostring(value))
check(mt.eom_check(conn, MT_BODYCHANGE,
                   "Hello,\r\n\r\nCould you look at the drains on Mill Lane?\r\n\r\nRegards\r\n"
                   .. "\r\nCC Councillor Emily Wright\r\n"),
      "the body ends with the disclosure line")
check(not quarantined(conn), "disclose: delivered, not quarantined")

-- An HTML body in quoted-printable: the line goes in before </body>.
m = clean_message("Mill Lane, HTML")
m.rcpt = { TOM, EMILY }
table.insert(m.headers, { "MIME-Version", "1.0" })
table.insert(m.headers, { "Content-Type", "text/html; charset=utf-8" })
table.insert(m.headers, { "Content-Transfer-Encoding", "quoted-printable" })
m.body = "<html><body><p>Could you look at the drains =E2=80=93 Mill Lane?</p></body></html>\r\n"
stage = send(conn, m)
check(stage == "eom", "HTML blind copy reaches EOM (stopped at " .. stage .. ")")
check(mt.eom_check(conn, MT_BODYCHANGE,
                   "<html><body><p>Could you look at the drains =E2=80=93 Mill Lane?</p><p>CC C=\r\n"
                   .. "ouncillor Emily Wright</p>\r\n</body></html>\r\n"),
      "the HTML body has the line before </body>, still quoted-printable")

-- The same with a DKIM signature: the body is left alone, warn instead.
m = clean_message("Mill Lane, signed")
m.rcpt = { TOM, EMILY }
table.insert(m.headers, 1, { "DKIM-Signature", "v=1; a=rsa-sha256; d=northmoor.gov.uk; s=s1; bh=x; b=y" })
stage = send(conn, m)
check(stage == "eom", "signed blind copy reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "signed message at EOM")
value = mt.getheader(conn, HEADER, 0)
check(value == "bcc-member; Newton Abbot 13; warn", HEADER .. ": " .. tostring(value))
check(not mt.eom_check(conn, MT_BODYCHANGE), "signed: the body is not changed")
mt.disconnect(conn)
