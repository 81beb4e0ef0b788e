# shellcheck shell=bash
# demo-decide.sh: the end of contrib/demo.sh's Monitoring Officer's day: two
# more held messages decided without a shell on the relay (issue 11).
#
#   mo_web     on the web page: a Monitoring Officer account made with
#              council-review user add, council-review-web started on a free
#              loopback port, and curl as the browser: sign in (cookie jar,
#              the CSRF token read from the form), the queue, the held
#              message, the release form posted with a note; the message
#              reaches the sink once
#   mo_reply   by reply: the reject address read from the Monitoring
#              Officer's notice of another hold (at the sink, where notices
#              go), a reply with the reason sent to it logged in (XCLIENT
#              LOGIN, which the demo's Postfix allows from loopback); the
#              hold is rejected, the audit trail names the Monitoring Officer
#              as a mail sender, and the sender's notice carries the reason
#
# Sourced by demo.sh, whose variables (W, MD, PF, CONF, MLOG, MO, MSGS, PY,
# SRC, SMTPD_PORT, SINK_PORT, REINJECT_PORT, MPORT, REVIEW_BIN, WEB_BIN, KEEP,
# N, NUM_OF) and helpers (say, row, review, as_typed, pyhelp, in_hold, found,
# wait_until, filter_log_since, indent; pf_* from tests/integration/postfix.sh)
# it uses.  mo_web sets WEB_PID, which demo.sh's cleanup stops with everything
# else, and WEB_URL, WEB_USER and WEB_PASSWORD for the summary.  Both add a
# row to the summary table, ok only when everything they show was so.

# The two held messages (sent with the shipped policy by demo.sh): one released on the web page
# with a note, one rejected by reply with a reason.
WEB_DEMO=member-obligation/breach/please-proceed-with-contract-html-only.eml
WEB_NOTE="Cabinet awarded this contract on 4 June; the councillor is passing on its decision."
REPLY_DEMO=officer-criticism/breach/mr-baker-misled-committee-to-gazette-base64.eml
REPLY_REASON="Please raise concerns about an officer with the Chief Executive, never the Gazette."

WEB_PID="" WEB_URL="" WEB_USER=peter.ward WEB_PASSWORD=""
JAR=$W/web-cookies                   # curl's cookie jar: the session, as a browser keeps it

# webhelp CMD FILE: read a page of council-review-web as the demo shows it
#   csrf    the CSRF token of the page's first form
#   queue   the queue's rows: id, subject, from, rules, state, age
#   hold    the title, the sentences marked as evidence, the forms' buttons
#   flash   the line that says what the last decision did
#   audit   the audit trail's rows: when, who (kind), what, note
webhelp() {
  "$PY" - "$@" <<'PY'
import html.parser, sys

class Page(html.parser.HTMLParser):
    """The parts of a page the demo shows: tags' text by kind, table rows, the CSRF token."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.csrf, self.rows, self.row, self.cell = None, [], None, None
        self.text = {"h1": [], "mark": [], "button": [], "flash": []}
        self.open = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "csrf" and self.csrf is None:
            self.csrf = a.get("value", "")
        if tag == "tr":
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = ""
        elif tag == "a" and self.cell is not None and a.get("href", "").startswith("/hold/"):
            self.row.append(a["href"][len("/hold/"):])   # the hold's id, a column of its own
        kind = "flash" if tag == "p" and "flash" in (a.get("class") or "").split() else tag
        if kind in self.text:
            self.open.append([kind, ""])
    def handle_endtag(self, tag):
        if tag == "td" and self.row is not None and self.cell is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row:
            self.rows.append(self.row)
            self.row = None
        if self.open and (self.open[-1][0] == tag or (tag == "p" and self.open[-1][0] == "flash")):
            kind, words = self.open.pop()
            self.text[kind].append(" ".join(words.split()))
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        for item in self.open:
            item[1] += data

cmd, path = sys.argv[1], sys.argv[2]
page = Page()
with open(path, encoding="utf-8", errors="replace") as fh:
    page.feed(fh.read())
if cmd == "csrf":
    print(page.csrf or "")
elif cmd == "queue":
    for r in page.rows:
        print("  ".join(r))
elif cmd == "hold":
    print("title:       " + " ".join(page.text["h1"]))
    for m in dict.fromkeys(page.text["mark"]):
        print("highlighted: " + m)
    decide = [b for b in page.text["button"] if b != "Sign out"]
    print("forms:       " + (", ".join(decide) or "none"))
elif cmd == "flash":
    print(" ".join(page.text["flash"]))
elif cmd == "audit":
    for r in page.rows:
        if len(r) == 4:
            print("  ".join(c for c in r if c))
PY
}

# mail_lines FILE TEXT COUNT: COUNT lines of the text of mail FILE, from the first that starts with TEXT
mail_lines() {
  "$PY" - "$@" <<'PY'
import email, email.policy, sys
path, text, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "rb") as fh:
    part = email.message_from_binary_file(fh, policy=email.policy.default).get_body(preferencelist=("plain",))
lines = part.get_content().splitlines() if part else []
start = next((i for i, line in enumerate(lines) if line.startswith(text)), len(lines))
for line in lines[start:start + count]:
    print(line.rstrip())
PY
}

# web_get PATH OUT: GET PATH with the session in the cookie jar, the page into OUT; prints the status
web_get() { curl -sS -b "$JAR" -c "$JAR" -o "$2" -w '%{http_code}' "$WEB_URL$1"; }

# web_post PATH OUT NAME=VALUE...: POST the form (each value URL-encoded; NAME@- reads standard
# input) with the session; prints the status and where it redirects to
web_post() {
  local path=$1 out=$2 field args=()
  shift 2
  for field in "$@"; do args+=(--data-urlencode "$field"); done
  curl -sS -b "$JAR" -c "$JAR" -o "$out" -w '%{http_code} %{redirect_url}' "${args[@]}" "$WEB_URL$path"
}

# web_start: the account, then council-review-web on a free loopback port; false when it did not start
web_start() {
  local port out
  read -r port < <(pf_freeports 1)
  while [ "$port" = "$SMTPD_PORT" ] || [ "$port" = "$REINJECT_PORT" ] || [ "$port" = "$SINK_PORT" ] ||
        [ "$port" = "$MPORT" ]; do
    read -r port < <(pf_freeports 1)
  done
  WEB_URL=http://127.0.0.1:$port
  WEB_PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(12))')

  say "  an account for the Monitoring Officer (the password from standard input; at a terminal"
  say "  it is asked for twice without echo):"
  say "    on a relay:  sudo -u council-milter council-review user add $WEB_USER --role monitoring-officer"
  say "    here:        $REVIEW_BIN -c $CONF user add $WEB_USER --role monitoring-officer < password"
  out=$(printf '%s\n' "$WEB_PASSWORD" | review user add "$WEB_USER" --role monitoring-officer 2>&1) ||
    { indent "    " <<< "$out"; return 1; }
  indent "    " <<< "$out"

  setsid "$WEB_BIN" -c "$CONF" --listen "127.0.0.1:$port" --insecure-cookie >> "$MD/web.log" 2>&1 < /dev/null &
  WEB_PID=$!
  disown "$WEB_PID" 2>/dev/null || true
  say "  the page:    $WEB_BIN -c $CONF \\"
  say "                 --listen 127.0.0.1:$port --insecure-cookie        (pid $WEB_PID)"
  say "               --insecure-cookie leaves Secure off the session cookie so that it is kept over"
  say "               plain HTTP; it is refused on any but a loopback address. On a relay the page"
  say "               listens on 127.0.0.1:8025 without it, behind nginx or Apache for TLS."
  pf_waitport "$port" 10 && return 0
  say "               it did not start: $(tail -n 3 "$MD/web.log")"
  return 1
}

# mo_web: release a held message on the web page, with curl as the browser
mo_web() {
  local env mid subject from id status csrf forged ok="NOT AS EXPECTED" copies=0 xcp="" lines log flash=""
  env=$(pyhelp envelope "$MSGS/$WEB_DEMO")
  from=$(sed -n 1p <<< "$env") subject=$(sed -n 2p <<< "$env") mid=$(sed -n 3p <<< "$env")
  N=$((N + 1))
  printf '[%d] %s\n' "$N" "the Monitoring Officer releases another on the web page: message [${NUM_OF[$mid]:-?}]"
  if ! in_hold "$mid"; then
    say "  $WEB_DEMO was not held above: there is nothing to release."
    row "$(basename "$WEB_DEMO" .eml)" "MO's day: released on the web page" "not held" "$ok"
    return 1
  fi
  id=$HELD
  say "  \"$subject\" from $from, hold $id"
  if ! web_start; then
    row "$(basename "$WEB_DEMO" .eml)" "MO's day: released on the web page" "the account or the page did not start" "$ok"
    return 1
  fi

  # sign in: the form gives the session cookie and its CSRF token; posting it makes a new session
  status=$(web_get /signin "$W/web-signin.html")
  csrf=$(webhelp csrf "$W/web-signin.html")
  say "  sign in:     curl -c jar -b jar $WEB_URL/signin                -> $status, the form's csrf=${csrf:0:8}..."
  status=$(printf '%s' "$WEB_PASSWORD" |
           web_post /signin "$W/web-signed-in.html" "csrf=$csrf" "user=$WEB_USER" "password@-")
  say "               curl -c jar -b jar -d csrf=... -d user=$WEB_USER --data-urlencode password@- \\"
  say "                 $WEB_URL/signin                                 -> $status"

  status=$(web_get / "$W/web-queue.html")
  say "  the queue:   GET /        -> $status, the held messages, oldest first (id, subject, from, rules, state, age):"
  webhelp queue "$W/web-queue.html" | indent "                 "
  grep -qF "/hold/$id" "$W/web-queue.html" || say "               (hold $id is not in it)"

  status=$(web_get "/hold/$id" "$W/web-hold.html")
  say "  the message: GET /hold/$id -> $status"
  webhelp hold "$W/web-hold.html" | indent "                 "
  csrf=$(webhelp csrf "$W/web-hold.html")

  # a form posted without the session's token, as a page elsewhere could make the browser send it
  forged=$(web_post "/hold/$id/release" "$W/web-forged.html" "note=Released by a page elsewhere.")
  say "  no token:    POST /hold/$id/release without csrf -> ${forged%% *} (refused; nothing released)"

  lines=$(wc -l < "$MLOG")
  pf_sink_files "$PF" > "$W/snapshot"
  status=$(web_post "/hold/$id/release" "$W/web-released.html" "csrf=$csrf" "note=$WEB_NOTE")
  say "  release:     POST /hold/$id/release csrf=... note=\"$WEB_NOTE\""
  say "                 -> $status"
  web_get "/hold/$id" "$W/web-hold-after.html" > /dev/null
  flash=$(webhelp flash "$W/web-hold-after.html")
  say "               the page then says: ${flash:-(nothing)}"

  DELIVERED=""
  wait_until 20 found DELIVERED pyhelp delivered "$PF/sink" "$W/snapshot" "$mid"
  sleep 1                                  # a second copy, were there one, would be here by now
  log=$(filter_log_since "$lines")
  [ -n "$log" ] && { say "  filter:      $(head -n 1 <<< "$log")"; tail -n +2 <<< "$log" | indent "               "; }
  copies=$(pyhelp count "$PF/sink" "$mid")
  if [ -n "$DELIVERED" ]; then
    xcp=$(pyhelp headers "$DELIVERED" X-Council-Protocol)
    say "  at the sink: $copies copy of $mid, to" \
        "$(pyhelp headers "$DELIVERED" X-Rcpt-Args | cut -d' ' -f1 | paste -sd, | sed 's/,/, /g')"
    indent "               X-Council-Protocol: " <<< "$xcp"
  else
    say "  at the sink: nothing after 20 s; Postfix says:"
    tail -n 3 "$PF/maillog" | indent "               "
  fi
  say "  the audit trail (the page's user is the reviewer):"
  as_typed audit "$id"
  review audit "$id" 2>&1 | grep -E "  (released|release-delivered)( |$)" | indent "    "
  [ "${forged%% *}" = 403 ] && [ "$copies" = 1 ] && [ "$xcp" = "released by the Monitoring Officer" ] &&
    grep -q "^Released $id" <<< "$flash" &&
    review audit "$id" 2>/dev/null | grep -qF "  $WEB_USER  released  $WEB_NOTE" && ok=ok
  row "$(basename "$WEB_DEMO" .eml)" "MO's day: released on the web page" \
    "released on the page: $(case "$copies" in 0) echo "not delivered";; 1) echo "delivered once, marked released";;
                             *) echo "delivered $copies times";; esac)" "$ok"
  say ""
  say "  To open the page in a browser on this machine: $WEB_URL/ as $WEB_USER,"
  say "  password $WEB_PASSWORD (this run's: only its hash is kept, in $MD/web-accounts)."
  if [ "$KEEP" = 1 ]; then
    say "  It stops with the demo; the work directory is kept (--keep), and the end of this report says"
    say "  how to start the page on it again."
  else
    say "  It stops with the demo; run the demo with --keep to open it afterwards."
  fi
}

# mo_reply: reject a held message by replying, as the Monitoring Officer, to the reject address
mo_reply() {
  local env mid subject from id nfile rej nsubj nref reply rc lines log ok="NOT AS EXPECTED" mofile="" told="" audit
  local kind
  env=$(pyhelp envelope "$MSGS/$REPLY_DEMO")
  from=$(sed -n 1p <<< "$env") subject=$(sed -n 2p <<< "$env") mid=$(sed -n 3p <<< "$env")
  say ""
  N=$((N + 1))
  printf '[%d] %s\n' "$N" "the Monitoring Officer rejects another by reply: message [${NUM_OF[$mid]:-?}]"
  if ! in_hold "$mid"; then
    say "  $REPLY_DEMO was not held above: there is nothing to reject."
    row "$(basename "$REPLY_DEMO" .eml)" "MO's day: rejected by reply" "not held" "$ok"
    return 1
  fi
  id=$HELD
  say "  \"$subject\" from $from, hold $id"

  # the reject address, from the Monitoring Officer's notice of the hold
  nfile=$(pyhelp mail-to "$PF/sink" "" "$MO" "($id)")
  [ -n "$nfile" ] && rej=$("$PY" "$SRC/tests/integration/mailpart.py" "$nfile" text |
                           grep -oE "protocol\+reject-$id-[0-9a-f]+@[A-Za-z0-9.-]+" | head -n 1)
  if [ -z "$nfile" ] || [ -z "${rej:-}" ]; then
    say "  the Monitoring Officer's notice of $id, with its reject address, is not at the sink"
    row "$(basename "$REPLY_DEMO" .eml)" "MO's day: rejected by reply" "no notice with a reject address" "$ok"
    return 1
  fi
  nsubj=$(pyhelp headers "$nfile" Subject)
  nref=$(pyhelp headers "$nfile" Message-ID)
  say "  the notice:  To $MO, Subject: $nsubj"
  say "               (at the sink: $(basename "$nfile")), which says:"
  mail_lines "$nfile" "To decide by reply" 6 | indent "               | "

  { printf 'From: Peter Ward <%s>\nTo: %s\nSubject: Re: %s\n' "$MO" "$rej" "$nsubj"
    printf 'Date: %s\nMessage-ID: <decide-%s@northmoor.gov.uk>\n' "$(date -R)" "$$"
    printf 'In-Reply-To: %s\nReferences: %s\n' "$nref" "$nref"
    printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n%s\n\n' "$REPLY_REASON"
    printf 'On %s, Member/Officer Protocol wrote:\n> A message was held under the Member/Officer Protocol.\n' \
      "$(date -R)"
  } > "$W/messages/reject-reply.eml"
  say "  the reply:   from $MO to the reject address, the reason as its text:"
  indent "               | " < "$W/messages/reject-reply.eml"
  say "  logged in:   the filter takes a decision only as authenticated mail. The demo's Postfix lets"
  say "               a loopback client name its login with XCLIENT (smtpd_authorized_xclient_hosts),"
  say "               as the integration test does; on a relay the Monitoring Officer's mail client"
  say "               logs in with SASL on the submission port. Either way the filter sees the login."
  lines=$(wc -l < "$MLOG")
  pf_sink_files "$PF" > "$W/snapshot"
  reply=$("$PY" "$SRC/tests/integration/send.py" --port "$SMTPD_PORT" --from "$MO" --rcpt "$rej" \
          --xclient-login monitoring.officer "$W/messages/reject-reply.eml" 2>&1); rc=$?
  say "  SMTP:        $reply"
  log=$(filter_log_since "$lines")
  [ -n "$log" ] && { say "  filter:      $(head -n 1 <<< "$log")"; tail -n +2 <<< "$log" | indent "               "; }

  if wait_until 15 found mofile pyhelp mail-to "$PF/sink" "$W/snapshot" "$MO" "Held message $id rejected"; then
    say "  MO told:     $(pyhelp show-notice "$mofile" 1 | sed -n '2s/^Subject: //p'):"
    pyhelp show-notice "$mofile" 3 | tail -n +3 | indent "               "
  else
    say "  MO told:     no confirmation reached the sink within 15 s"
  fi
  if wait_until 15 found told pyhelp mail-to "$PF/sink" "$W/snapshot" "$from" "was not sent"; then
    say "  the sender:  $(pyhelp show-notice "$told" 0 | sed -n '2s/^Subject: //p'), to $from:"
    mail_lines "$told" "The Monitoring Officer decided" 3 | indent "               | "
  else
    say "  the sender:  no notice to $from reached the sink within 15 s"
  fi
  say "  the audit trail (the Monitoring Officer's address: the decision came by mail):"
  as_typed audit "$id"
  audit=$(review audit "$id" 2>&1)
  grep -F "  rejected  " <<< "$audit" | indent "    "
  kind=""
  if [ -n "$WEB_PID" ] && [ "$(web_get "/hold/$id" "$W/web-rejected.html")" = 200 ]; then
    say "  and on the web page, whose audit trail says what kind of name it is:"
    kind=$(webhelp audit "$W/web-rejected.html" | grep -F "  rejected  ")
    indent "    " <<< "$kind"
  fi
  sleep 1
  [ "$rc" = 0 ] && [ -n "$mofile" ] && [ -n "$told" ] &&
    "$PY" "$SRC/tests/integration/mailpart.py" "$told" has "$REPLY_REASON" > /dev/null &&
    grep -qF "  $MO  rejected  $REPLY_REASON" <<< "$audit" && [ "$(pyhelp count "$PF/sink" "$mid")" = 0 ] &&
    { [ -z "$WEB_PID" ] || grep -qF "$MO (mail)  rejected" <<< "$kind"; } &&
    [ "$(pyhelp count "$PF/sink" "<decide-$$@northmoor.gov.uk>")" = 0 ] && ok=ok
  row "$(basename "$REPLY_DEMO" .eml)" "MO's day: rejected by reply" \
    "rejected by reply: sender told the reason, MO told, nothing delivered" "$ok"
}
