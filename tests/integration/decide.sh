# decide.sh: the integration cases of deciding held mail by reply (issue 11),
# sourced by run.sh in its phase 5 (council-milter running with $CONF_REV,
# whose [hold] release-smtp is the milter's own smtpd).  The Monitoring
# Officer (the example directory's monitoring.officer@northmoor.gov.uk)
# replies, logged in (XCLIENT LOGIN), to the release or reject address of
# the notice of a hold; every refused reply gets a 550 and decides nothing.
# Uses run.sh's helpers (send, review, hold_breach, sink_*, notices_since,
# result); (v6) restarts the daemon, with $CONF_REV again at the end.

MO_V=monitoring.officer@northmoor.gov.uk

# decision_address ACTION HID SNAPSHOT: the ACTION (release|reject) address in the
# Monitoring Officer's notice of hold HID that came after SNAPSHOT
decision_address() {
  local f
  for f in $(notices_since "$3" "$MO_V" | cut -f1); do
    grep -q "$2" "$f" 2>/dev/null || continue
    "$PY" "$HERE/mailpart.py" "$f" text | grep -oE "protocol\+$1-$2-[0-9a-f]+@northmoor\.gov\.uk" | head -n 1
    return
  done
}

# decide FROM TO BODY MID [send.py options...]: a reply from FROM to the decision address TO
decide() {
  local from=$1 to=$2 body=$3 mid=$4; shift 4
  printf 'From: %s\nTo: %s\nSubject: Re: Held for review\nMessage-ID: %s\n\n%s\n\nOn Monday the filter wrote:\n> A message was held under the Member/Officer Protocol.\n' \
    "$from" "$to" "$mid" "$body" > "$W/msg/decide.eml"
  send --from "$from" --rcpt "$to" "$@" "$W/msg/decide.eml"
}

# still_held HID: true when council-review lists hold HID as held
still_held() { review list --state held; grep -qF "$1" <<< "$REV"; }

# who_kind HID WHAT: "who kind" of the last WHAT event of hold HID in the audit trail
who_kind() {
  "$PY" - "$MD/hold/index.sqlite" "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
row = db.execute("SELECT who, who_kind FROM events WHERE hold_id = ? AND what = ? ORDER BY seq DESC LIMIT 1",
                 (sys.argv[2], sys.argv[3])).fetchone()
print(" ".join(str(v) for v in row) if row else "none")
PY
}

# hold_for_decision MID SNAPSHOT-FILE: hold the breach MID and wait for the Monitoring Officer's
# notice; sets HID and the two addresses REL and REJ
hold_for_decision() {
  SNAP_V=$2
  sink_snapshot "$SNAP_V"
  hold_breach "$1"; HID=$(hold_id "$1")
  have_addresses() { [ -n "$(decision_address reject "$HID" "$SNAP_V")" ]; }
  wait_until 30 have_addresses
  REL=$(decision_address release "$HID" "$SNAP_V") REJ=$(decision_address reject "$HID" "$SNAP_V")
}

# (v1) release by reply: the held message arrives, the reply's words are the note, the Monitoring
# Officer is the actor (as a mail sender), gets a one-line confirmation, and the reply goes nowhere
mid_v1="<integ-v1-$RUN@$DOM>"
hold_for_decision "$mid_v1" "$W/snap-v1"; hid_v1=$HID rel_v1=$REL
decide "$MO_V" "$rel_v1" "A fair comment on a planning matter; release it." "<integ-v1-r-$RUN@$DOM>" \
  --xclient-login monitoring.officer
sent_v1=$SENT rc_v1=$SENT_RC
wait_until 30 at_sink "$mid_v1"
confirmed_v1() { notices_since "$W/snap-v1" "$MO_V" | cut -f1 | xargs -r grep -l "Released hold $hid_v1" | grep -q .; }
wait_until 30 confirmed_v1; conf_v1=$?
review audit "$hid_v1"; audit_v1=$REV
actor_v1=$(who_kind "$hid_v1" released)
sleep 1
[ -n "$rel_v1" ] && [ "$rc_v1" = 0 ] && [ "$(sink_count "$mid_v1")" = 1 ] && [ "$conf_v1" = 0 ] &&
  grep -q "$MO_V  released  A fair comment on a planning matter; release it\.$" <<< "$audit_v1" &&
  [ "$actor_v1" = "$MO_V mail" ] && ! at_sink "<integ-v1-r-$RUN@$DOM>"; r=$?
result "$r" "(v) release by reply from the Monitoring Officer: delivered once, the reply's words as the note, the MO (mail) as actor, a confirmation, the reply delivered nowhere" \
  "release address: ${rel_v1:-none}" "client: $sent_v1" "at the sink ($(sink_count "$mid_v1") copies): $(sink_desc "$(sink_row "$mid_v1" | head -n 1)")" \
  "audit: $audit_v1" "actor: $actor_v1" "$(milterlog 'by reply')"

# (v2) a replayed token: the same release address again, after the decision: 550, nothing more
decide "$MO_V" "$rel_v1" "Release it again." "<integ-v2-r-$RUN@$DOM>" --xclient-login monitoring.officer
sent_v2=$SENT rc_v2=$SENT_RC
sleep 1
[ "$rc_v2" = 1 ] && grep -q '^550' <<< "$sent_v2" && grep -qi 'already released' <<< "$sent_v2" &&
  [ "$(sink_count "$mid_v1")" = 1 ]; r=$?
result "$r" "(v) a replayed release address is refused with 550 saying who decided; nothing is delivered again" \
  "client (exit $rc_v2): $sent_v2" "copies at the sink: $(sink_count "$mid_v1")"

# (v3) reject by reply: without words it is refused (a reason is needed); with them the sender is told
# the reason, the message is never delivered, and the Monitoring Officer is told it was done
mid_v3="<integ-v3-$RUN@$DOM>"
hold_for_decision "$mid_v3" "$W/snap-v3"; hid_v3=$HID rej_v3=$REJ
decide "$MO_V" "$rej_v3" "" "<integ-v3-r0-$RUN@$DOM>" --xclient-login monitoring.officer
sent_v3a=$SENT rc_v3a=$SENT_RC
still_held "$hid_v3"; held_v3a=$?
decide "$MO_V" "$rej_v3" "Please raise concerns about an officer with the Chief Executive, never the Gazette." \
  "<integ-v3-r1-$RUN@$DOM>" --xclient-login monitoring.officer
sent_v3=$SENT rc_v3=$SENT_RC
told_v3() { notices_since "$W/snap-v3" cllr.emily.wright@northmoor.gov.uk | cut -f1 | xargs -r grep -l "never the Gazette" | grep -q .; }
wait_until 30 told_v3; told=$?
confirmed_v3() { notices_since "$W/snap-v3" "$MO_V" | cut -f1 | xargs -r grep -l "Rejected hold $hid_v3" | grep -q .; }
wait_until 30 confirmed_v3; conf_v3=$?
review list --state rejected; rejected_v3=$REV
[ "$rc_v3a" = 1 ] && grep -q '^550.*needs a reason' <<< "$sent_v3a" && [ "$held_v3a" = 0 ] &&
  [ "$rc_v3" = 0 ] && [ "$told" = 0 ] && [ "$conf_v3" = 0 ] && grep -qF "$hid_v3" <<< "$rejected_v3" &&
  ! at_sink "$mid_v3"; r=$?
result "$r" "(v) reject by reply: refused (550) without a reason; with one the sender is told it, nothing is delivered, the MO is told" \
  "reject address: ${rej_v3:-none}" "without a reason (exit $rc_v3a): $sent_v3a" "with one (exit $rc_v3): $sent_v3" \
  "sender told: $([ "$told" = 0 ] && echo yes || echo no); MO confirmed: $([ "$conf_v3" = 0 ] && echo yes || echo no)"

# (v4) refused, each with 550 and the hold still held: a forged token; the MO's right address sent
# by another member (logged in); the MO's address and token from a client that did not log in
mid_v4="<integ-v4-$RUN@$DOM>"
hold_for_decision "$mid_v4" "$W/snap-v4"; hid_v4=$HID rel_v4=$REL
decide "$MO_V" "protocol+release-$hid_v4-0000000000000000@northmoor.gov.uk" "Release it." \
  "<integ-v4-r1-$RUN@$DOM>" --xclient-login monitoring.officer
forged=$SENT forged_rc=$SENT_RC
decide cllr.raj.patel@northmoor.gov.uk "$rel_v4" "Release it." "<integ-v4-r2-$RUN@$DOM>" --xclient-login cllr.raj.patel
member=$SENT member_rc=$SENT_RC
decide "$MO_V" "$rel_v4" "Release it." "<integ-v4-r3-$RUN@$DOM>"
anon=$SENT anon_rc=$SENT_RC
sleep 1
still_held "$hid_v4"; held_v4=$?
[ -n "$rel_v4" ] && [ "$forged_rc" = 1 ] && grep -q '^550.*does not belong' <<< "$forged" &&
  [ "$member_rc" = 1 ] && grep -q '^550.*Only the Monitoring Officer or the deputy' <<< "$member" &&
  [ "$anon_rc" = 1 ] && grep -q '^550.*logged in' <<< "$anon" && [ "$held_v4" = 0 ] && ! at_sink "$mid_v4"; r=$?
result "$r" "(v) a forged token, the right address from another member, and the MO's address unauthenticated: each 550, nothing decided" \
  "forged (exit $forged_rc): $forged" "another member (exit $member_rc): $member" \
  "not logged in (exit $anon_rc): $anon" "still held: $([ "$held_v4" = 0 ] && echo yes || echo no)" \
  "$(milterlog 'by reply from')"
tokens_logged=$([ -n "$rel_v4" ] && grep -c -- "${rel_v4%@*}" "$MD/milter.log")
[ -n "$rel_v4" ] && [ "$tokens_logged" = 0 ]; r=$?
result "$r" "(v) the log names the hold of a refused decision, never its address with the token" \
  "log lines with the address: $tokens_logged"

# (v5) a reply to a hold already decided with council-review: 550 saying so, nothing delivered
mid_v5="<integ-v5-$RUN@$DOM>"
hold_for_decision "$mid_v5" "$W/snap-v5"; hid_v5=$HID rel_v5=$REL
review reject "$hid_v5" --reason "Decided on the relay."; rej_v5=$REV
decide "$MO_V" "$rel_v5" "Release it." "<integ-v5-r-$RUN@$DOM>" --xclient-login monitoring.officer
late=$SENT late_rc=$SENT_RC
sleep 1
[ -n "$rel_v5" ] && [ "$late_rc" = 1 ] && grep -q '^550.*already rejected' <<< "$late" && ! at_sink "$mid_v5"; r=$?
result "$r" "(v) a reply to a hold already rejected with council-review is refused with 550 saying by whom; nothing delivered" \
  "council-review: $rej_v5" "reply (exit $late_rc): $late"

# (v6) a release by reply that the MTA does not take (release-smtp down) is deferred with 451 and
# the hold stays held; the client's retry, once the listener is back, releases it once
mid_v6="<integ-v6-$RUN@$DOM>"
hold_for_decision "$mid_v6" "$W/snap-v6"; hid_v6=$HID rel_v6=$REL
CONF_NOREL=$MD/council-milter-norelease.conf
cp "$CONF_REV" "$CONF_NOREL"
read -r DEAD_V < <(pf_freeports 1)
"$PY" "$HERE/conf-set.py" "$CONF_NOREL" hold release-smtp "127.0.0.1:$DEAD_V" || bail "cannot write $CONF_NOREL"
milter_stop; milter_start "$CONF_NOREL" || bail "council-milter did not restart with $CONF_NOREL"
decide "$MO_V" "$rel_v6" "Release it." "<integ-v6-r1-$RUN@$DOM>" --xclient-login monitoring.officer
deferred_v6=$SENT deferred_rc=$SENT_RC
still_held "$hid_v6"; held_v6=$?
milter_stop; milter_start "$CONF_REV" || bail "council-milter did not restart with $CONF_REV"
decide "$MO_V" "$rel_v6" "Release it." "<integ-v6-r2-$RUN@$DOM>" --xclient-login monitoring.officer
retried_v6=$SENT retried_rc=$SENT_RC
wait_until 30 at_sink "$mid_v6"
sleep 1
[ -n "$rel_v6" ] && [ "$deferred_rc" = 1 ] && grep -q '^451' <<< "$deferred_v6" && [ "$held_v6" = 0 ] &&
  [ "$retried_rc" = 0 ] && [ "$(sink_count "$mid_v6")" = 1 ]; r=$?
result "$r" "(v) a release by reply the MTA cannot take now is deferred (451) and left held; the retry releases it once" \
  "while release-smtp is down (exit $deferred_rc): $deferred_v6" "held meanwhile: $([ "$held_v6" = 0 ] && echo yes || echo no)" \
  "retry (exit $retried_rc): $retried_v6" "copies at the sink: $(sink_count "$mid_v6")" "$(milterlog 'by reply from')"
