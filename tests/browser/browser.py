#!/usr/bin/env python3
"""browser.py: council-review-web in a real browser (headless Chromium driven
by Selenium), against the web daemon, council-milter and the private Postfix
that tests/browser/run.sh started.  Output is TAP ("ok N - ...", "not ok N -
..." with the evidence as "#" lines).

    browser.py --base URL --smtp-port PORT --sink DIR --review 'council-review -c CONF'
               --messages DIR --send SEND.PY --shots DIR --run ID

It sends mail that the filter holds (send.py through the milter's smtpd),
finds the holds with `council-review list --json`, then, as people would:
signs in (wrong password first), sees the queue and a held message with its
evidence highlighted, releases it and finds it at the sink, rejects another
and finds the sender's notice with the reason, opens a message whose subject
and body carry script and markup and finds them shown as text, posts a form
without its CSRF token and is refused, and signs in as an auditor who sees
no decide form and whose POST is refused.  Screenshots of the queue and of
one held message (desktop and phone widths) are saved as PNG in --shots.
"""
import argparse
import email.parser
import email.policy
import http.cookiejar
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

PASSWORD = "correct horse battery staple"
OFFICER, AUDITOR = "mo.browser", "auditor.browser"
HOSTILE_SUBJECT = "<script>alert('subject')</script> Mill Lane <b>bold</b>"
HOSTILE_LINE = "<script>alert('body')</script><img src=x onerror=alert(2)> <i>see this</i>"


class Tap:
    """TAP lines and the count of failures."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, description, *evidence):
        self.n += 1
        if not ok:
            self.failed += 1
        print(("ok" if ok else "not ok") + f" {self.n} - {description}")
        for line in evidence:
            for part in str(line).splitlines()[:40]:
                print("#   " + part)
        sys.stdout.flush()


def wait_for(predicate, seconds=30):
    """Poll PREDICATE until it returns something true, or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


def send(args, message, sender, rcpts, mid, path_dir):
    """Send MESSAGE (bytes) through the milter's smtpd with send.py."""
    path = os.path.join(path_dir, mid.strip("<>").replace("@", "_") + ".eml")
    with open(path, "wb") as f:
        f.write(message)
    cmd = [sys.executable, args.send, "--port", str(args.smtp_port), "--from", sender, "--message-id", mid]
    for r in rcpts:
        cmd += ["--rcpt", r]
    return subprocess.run(cmd + [path], capture_output=True, text=True)


def holds(args):
    """Every hold council-review knows, as its JSON list."""
    out = subprocess.run(shlex.split(args.review) + ["list", "--state", "all", "--json"], capture_output=True,
                         text=True)
    try:
        return json.loads(out.stdout)
    except ValueError:
        return []


def hold_with_subject(args, subject):
    """The id of the hold whose subject is SUBJECT, when there is one."""
    for hold in holds(args):
        if hold.get("subject") == subject:
            return hold.get("id")
    return None


def sink_messages(sink):
    """(file, parsed headers, raw text) of each message the sink took."""
    parser = email.parser.BytesParser(policy=email.policy.compat32)
    out = []
    for name in sorted(os.listdir(sink)):
        path = os.path.join(sink, name)
        if time.time() - os.stat(path).st_mtime < 0.3:
            continue
        with open(path, "rb") as f:
            raw = f.read()
        out.append((path, parser.parsebytes(raw, headersonly=True), raw.decode("utf-8", "replace")))
    return out


def at_sink(sink, mid):
    """The sink's copies of the message MID."""
    return [m for m in sink_messages(sink) if " ".join(str(m[1].get("Message-ID", "")).split()) == mid]


def notice_with(sink, rcpt, text):
    """A notice (null sender) to RCPT that contains TEXT."""
    for path, head, raw in sink_messages(sink):
        env_from = " ".join(str(head.get("X-Mail-Args", "")).split()).split(" ")[0].strip("<>")
        rcpts = " ".join(str(r) for r in head.get_all("X-Rcpt-Args", [])).lower()
        if env_from == "" and rcpt in rcpts and text in " ".join(raw.split()):
            return path
    return None


def post(base, path, cookie, fields):
    """POST FIELDS to PATH with the session COOKIE, outside the browser: the status."""
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(base + path, data=data, method="POST",
                                     headers={"Cookie": "cm_session=" + cookie,
                                              "Content-Type": "application/x-www-form-urlencoded"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


def browser():
    """Headless Chromium, from Debian's packages (no driver download)."""
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1100,1000", "--lang=en-GB"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def sign_in(driver, base, user, password):
    driver.get(base + "/signin")
    driver.find_element(By.ID, "user").clear()
    driver.find_element(By.ID, "user").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button").click()
    # Either page that can follow: the queue (signed in) or the form with its error.
    after_click(driver, "form[action='/signout'], p.error")


def sign_out(driver):
    driver.find_element(By.CSS_SELECTOR, "form[action='/signout'] button").click()
    after_click(driver, "form[action='/signin']")


def after_click(driver, css, seconds=30):
    """The elements CSS selects once the page a click led to shows them
    (a click returns before the next page has loaded)."""
    return wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, css), seconds) or []


def no_alert(driver):
    try:
        driver.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def session_cookie(driver):
    cookie = driver.get_cookie("cm_session")
    return cookie["value"] if cookie else ""


def main():
    ap = argparse.ArgumentParser()
    for name in ("--base", "--sink", "--review", "--messages", "--send", "--shots", "--run"):
        ap.add_argument(name, required=True)
    ap.add_argument("--smtp-port", type=int, required=True)
    args = ap.parse_args()
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="council-browser-msg.") as work:
        return run(args, tap, work)


def run(args, tap, work):
    """The cases, with WORK a scratch directory for the messages sent."""
    os.makedirs(args.shots, exist_ok=True)

    # Three held messages: one to release, one to reject, one hostile.
    source = os.path.join(args.messages, "officer-criticism/breach/head-of-planning-incompetent-to-members.eml")
    original = open(source, "rb").read().replace(b"\r\n", b"\n")
    members = ["cllr.raj.patel@northmoor.gov.uk", "cllr.emily.wright@northmoor.gov.uk"]
    sender = "cllr.ahmed.khan@northmoor.gov.uk"
    cases = {}
    for key, subject, extra in (("release", "Mill Lane - to release", b""),
                                ("reject", "Mill Lane - to reject", b""),
                                ("hostile", HOSTILE_SUBJECT, HOSTILE_LINE.encode() + b"\n\n")):
        message = re.sub(rb"(?m)^Subject: .*$", b"Subject: " + subject.encode(), original, count=1)
        message = message.replace(b"\n\nRaj, Emily,\n", b"\n\n" + extra + b"Raj, Emily,\n", 1)
        mid = f"<browser-{key}-{args.run}@integration.invalid>"
        sent = send(args, message, sender, members, mid, work)
        hid = wait_for(lambda: hold_with_subject(args, subject))
        cases[key] = (mid, hid, subject)
        tap.result(sent.returncode == 0 and hid is not None, f"a breach is held for the browser test ({key})",
                   f"send.py: {sent.stdout.strip()} {sent.stderr.strip()}", f"hold: {hid}")
    if any(c[1] is None for c in cases.values()):
        print(f"# {tap.failed} failed")
        return 1

    driver = browser()
    try:
        base = args.base
        # Not signed in: the queue sends to the sign-in form.
        driver.get(base + "/")
        tap.result(driver.current_url.endswith("/signin"), "not signed in, the queue sends to the sign-in page",
                   driver.current_url)

        # A wrong password: said, and not signed in.
        sign_in(driver, base, OFFICER, "not the password at all")
        alert = driver.find_elements(By.CSS_SELECTOR, "p.error")
        tap.result(driver.current_url.endswith("/signin") and alert
                   and "user name or the password is wrong" in alert[0].text
                   and not driver.find_elements(By.CSS_SELECTOR, "form[action='/signout']"),
                   "a wrong password is refused with a sentence, and nobody is signed in",
                   driver.current_url, alert[0].text if alert else "no error shown")
        sign_in(driver, base, "nobody.here", PASSWORD)
        alert = driver.find_elements(By.CSS_SELECTOR, "p.error")
        tap.result(bool(alert) and "user name or the password is wrong" in alert[0].text,
                   "an unknown user gets the same sentence", alert[0].text if alert else "no error shown")

        # The officer signs in and sees the queue.
        sign_in(driver, base, OFFICER, PASSWORD)
        rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
        text = driver.find_element(By.TAG_NAME, "main").text
        tap.result(driver.current_url.rstrip("/") == base and len(rows) >= 3
                   and "Mill Lane - to release" in text and OFFICER in driver.find_element(By.TAG_NAME, "header").text,
                   "the Monitoring Officer signs in and sees the queue of held messages",
                   driver.current_url, f"{len(rows)} rows", text[:400])
        if not driver.find_elements(By.CSS_SELECTOR, "form[action='/signout']"):
            print("Bail out! the Monitoring Officer could not sign in; the rest needs it")
            return 1
        driver.save_screenshot(os.path.join(args.shots, "web-queue.png"))
        cookie = driver.get_cookie("cm_session") or {}
        tap.result(cookie.get("httpOnly") is True and cookie.get("sameSite") == "Strict",
                   "the session cookie is HttpOnly and SameSite=Strict", str(cookie))

        # Filters as GET parameters.
        driver.get(base + "/?rule=member-obligation")
        tap.result("No message matches." in driver.find_element(By.TAG_NAME, "main").text,
                   "the rule filter narrows the queue", driver.current_url)

        # One held message: its evidence highlighted in the text.
        mid, hid, subject = cases["release"]
        driver.get(base + "/")
        driver.find_element(By.LINK_TEXT, subject).click()
        after_click(driver, "pre")
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "pre mark")]
        quoted = driver.find_elements(By.TAG_NAME, "blockquote")
        tap.result(driver.current_url.endswith("/hold/" + hid)
                   and any("Head of Planning is incompetent" in " ".join(m.split()) for m in marks)
                   and quoted and "South Ribble 16.2" in driver.page_source,
                   "the held message shows the paragraph quoted and its evidence highlighted in the text",
                   driver.current_url, f"marks: {marks}", f"quoted: {[q.text[:120] for q in quoted]}")
        driver.save_screenshot(os.path.join(args.shots, "web-hold.png"))
        driver.set_window_size(412, 1600)
        driver.save_screenshot(os.path.join(args.shots, "web-hold-phone.png"))
        driver.set_window_size(1100, 1000)

        # The headers of a page with held mail.
        reply = urllib.request.build_opener(NoRedirect).open(
            urllib.request.Request(base + "/hold/" + hid, headers={"Cookie": "cm_session=" + session_cookie(driver)}),
            timeout=30)
        headers = dict(reply.headers.items())
        tap.result(headers.get("Content-Security-Policy", "").startswith("default-src 'none'")
                   and "script-src" not in headers.get("Content-Security-Policy", "")
                   and headers.get("X-Frame-Options") == "DENY" and headers.get("Cache-Control") == "no-store",
                   "a held message's page comes with CSP default-src 'none', X-Frame-Options DENY and no-store",
                   str(headers))

        # A POST without the CSRF token, with a good session: refused, nothing decided.
        status = post(base, f"/hold/{hid}/release", session_cookie(driver), {"note": "no token"})
        state = [h.get("state") for h in holds(args) if h.get("id") == hid]
        tap.result(status == 403 and state == ["held"], "a release POSTed without the CSRF token is refused (403)",
                   f"status {status}, state {state}")
        status = post(base, f"/hold/{hid}/release", session_cookie(driver), {"csrf": "0" * 64})
        tap.result(status == 403, "a release POSTed with a wrong CSRF token is refused (403)", f"status {status}")

        # Release from the page: delivered, once.
        driver.find_element(By.ID, "note").send_keys("Released from the web page: ward business.")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/release'] button").click()
        flash = after_click(driver, "p.flash")
        copies = wait_for(lambda: at_sink(args.sink, mid))
        time.sleep(1)
        copies = at_sink(args.sink, mid)
        tap.result(bool(flash) and flash[0].text.startswith("Released " + hid) and len(copies) == 1
                   and not driver.find_elements(By.CSS_SELECTOR, "form[action$='/release']"),
                   "release from the web page: said on the page, and the message reaches the sink once",
                   flash[0].text if flash else "no message", f"{len(copies)} copies at the sink")
        trail = driver.find_element(By.XPATH, "//h2[text()='Audit trail']/following-sibling::div").text
        tap.result(OFFICER in trail and "released" in trail, "the audit trail names the web user who released it",
                   trail)

        # Reject from the page: the sender gets the reason.
        mid, hid, subject = cases["reject"]
        driver.get(base + "/hold/" + hid)
        reason = "Please take concerns about an officer to the Chief Executive."
        driver.find_element(By.ID, "reason").send_keys(reason)
        driver.find_element(By.CSS_SELECTOR, "form[action$='/reject'] button").click()
        flash = after_click(driver, "p.flash")
        notice = wait_for(lambda: notice_with(args.sink, sender, "officer to the Chief Executive"))
        tap.result(bool(flash) and flash[0].text.startswith("Rejected " + hid) and notice is not None
                   and not at_sink(args.sink, mid),
                   "reject from the web page: never delivered, and the sender's notice carries the reason",
                   flash[0].text if flash else "no message", f"notice: {notice}")

        # Script and markup in a held message come out as text.
        mid, hid, subject = cases["hostile"]
        driver.get(base + "/")
        queue_text = driver.find_element(By.TAG_NAME, "main").text
        driver.get(base + "/hold/" + hid)
        body = driver.find_element(By.TAG_NAME, "pre").text
        title = driver.find_element(By.TAG_NAME, "h1").text
        tap.result(HOSTILE_SUBJECT in queue_text and HOSTILE_SUBJECT in title and HOSTILE_LINE in body
                   and not driver.find_elements(By.TAG_NAME, "script")
                   and not driver.find_elements(By.TAG_NAME, "img")
                   and not driver.find_elements(By.CSS_SELECTOR, "main b, main i")
                   and no_alert(driver),
                   "script and markup in a held subject and body are shown as text, never run",
                   f"title: {title}", f"body: {body[:300]}")

        # The auditor reads, but cannot decide.
        sign_out(driver)
        sign_in(driver, base, AUDITOR, PASSWORD)
        driver.get(base + "/hold/" + hid)
        forms = driver.find_elements(By.CSS_SELECTOR, "form[action$='/release'], form[action$='/reject']")
        token = driver.find_element(By.CSS_SELECTOR, "form[action='/signout'] input[name='csrf']").get_attribute("value")
        status = post(base, f"/hold/{hid}/release", session_cookie(driver), {"csrf": token, "note": "auditor"})
        state = [h.get("state") for h in holds(args) if h.get("id") == hid]
        tap.result(AUDITOR in driver.find_element(By.TAG_NAME, "header").text and not forms and status == 403
                   and state == ["held"],
                   "an auditor sees the held message without the decide forms, and a release POST is refused (403)",
                   f"forms: {len(forms)}, POST status {status}, state {state}")
        driver.get(base + "/report")
        svgs = driver.find_elements(By.CSS_SELECTOR, "main svg")
        tap.result(len(svgs) == 4 and "officer-criticism" in driver.find_element(By.TAG_NAME, "main").text,
                   "the report shows four server-drawn charts", f"{len(svgs)} charts")
        driver.save_screenshot(os.path.join(args.shots, "web-report.png"))

        # Signing out ends the session: the old cookie opens nothing.
        old = session_cookie(driver)
        sign_out(driver)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            status = opener.open(urllib.request.Request(base + "/", headers={"Cookie": "cm_session=" + old}),
                                 timeout=30).status
        except urllib.error.HTTPError as e:
            status = e.code
        tap.result(status == 303, "after signing out the old session cookie opens nothing", f"status {status}")
    except Exception as e:  # a missing element or a dead browser: a failure, with where
        tap.result(False, "the browser test runs to its end", f"{type(e).__name__}: {e}")
    finally:
        driver.quit()
    print(f"# {tap.n - tap.failed} passed, {tap.failed} failed")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
