-- reload.lua: SIGUSR1 rereads the configuration.  Start with
-- member-obligation=off; copy alt.conf (reject) over the configuration and
-- signal: the next message is rejected, while a message begun before the
-- reload keeps the configuration it started with.  Then a broken
-- configuration is refused: the daemon keeps working with the last good one.
-- config: rule:member-obligation.action=off
-- config.alt: rule:member-obligation.action=reject
-- log: configuration reloaded
-- log: reload refused
dofile(lib)
local conf = dir .. "/council-milter.conf"

local function reload()
  shell("kill -USR1 " .. pid)
  mt.sleep(0.5)
end

local conn = open()
local stage = send(conn, obligation_message("Before"))
check(stage == "eom", "rule off: obligation reaches EOM (stopped at " .. stage .. ")")
check_reply(conn, SMFIR_CONTINUE, "rule off: obligation at EOM")
check(not added(conn), "rule off: no finding")

-- A message under way (MAIL FROM done) while the configuration changes.
local busy = open()
local m = obligation_message("Under way")
m.stop = "body"
stage = send(busy, m)
check(stage == "body", "message under way: body sent")

shell("cp '" .. dir .. "/alt.conf' '" .. conf .. "'")
reload()

must(mt.eom(busy), "EOM of the message under way")
check_reply(busy, SMFIR_CONTINUE, "message begun before the reload keeps the old configuration")
mt.disconnect(busy)

stage = send(conn, obligation_message("After"))
check_reply(conn, SMFIR_REPLYCODE, "after the reload, same connection: rejected")
local fresh = open()
stage = send(fresh, obligation_message("After, new connection"))
check_reply(fresh, SMFIR_REPLYCODE, "after the reload, new connection: rejected")
mt.disconnect(fresh)

-- A broken configuration (an unknown rule) is refused; the old one stays.
local f = io.open(conf, "a")
f:write("\n[rule:no-such-rule]\naction=reject\n")
f:close()
reload()
fresh = open()
stage = send(fresh, obligation_message("After the bad reload"))
check(stage == "eom", "after a refused reload: message reaches EOM (stopped at " .. stage .. ")")
check_reply(fresh, SMFIR_REPLYCODE, "after a refused reload: still rejected")
mt.disconnect(fresh)
mt.disconnect(conn)
