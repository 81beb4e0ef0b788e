-- bcc.lua: bcc-member (warn by default): an envelope recipient who is a
-- member but is not in To or Cc.  The message is delivered and tagged,
-- not quarantined; an envelope recipient in Cc is no blind copy.
-- log: rules=bcc-member(Newton Abbot 13)
dofile(lib)
local conn = open()

-- Raj writes to Tom; Emily Wright is only on the envelope.
local m = clean_message("Mill Lane")
m.rcpt = { TOM, EMILY }
local stage = send(conn, m)
check(stage == "eom", "blind copy reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "warned message at EOM")
local value = mt.getheader(conn, HEADER, 0)
check(value == "bcc-member; Newton Abbot 13; warn", HEADER .. ": " .. tostring(value))
check(not quarantined(conn), "warn: not quarantined")

-- Same envelope, Emily openly in Cc: nothing to say.
m = clean_message("Mill Lane again")
m.rcpt = { TOM, EMILY }
table.insert(m.headers, 3, { "Cc", "Cllr Emily Wright <" .. EMILY .. ">" })
stage = send(conn, m)
check(stage == "eom", "open copy reaches EOM (stopped at " .. stage .. ")")
check(not added(conn), "open copy in Cc: no " .. HEADER)
mt.disconnect(conn)
