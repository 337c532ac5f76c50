"""The stand-in browser: does over HTTP what a person does in the browser.

Opens the authorize URL the app gave, reads the portal's sign-in page (the `oAuthInfo` the
real page carries), posts the sign-in form with the test account, and follows the redirect
back to the app's loopback listener. Every step is logged (never the password) to
FAKE_BROWSER_LOG, which the test reads.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(url: str) -> None:
    print(f"open {url}", flush=True)
    page = urllib.request.urlopen(url, timeout=20).read().decode()
    line = next((l for l in page.splitlines() if "var oAuthInfo" in l), None)
    if line is None:
        raise SystemExit("no oAuthInfo on the sign-in page")
    info = json.loads(line[line.index("{") : line.rindex("}") + 1])
    portal = url.split("/sharing/")[0]
    form = urllib.parse.urlencode(
        {
            "oauth_state": info["oauth_state"],
            "username": os.environ["FAKE_BROWSER_USERNAME"],
            "password": os.environ["FAKE_BROWSER_PASSWORD"],
        }
    ).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{portal}/sharing/oauth2/signin", data=form, timeout=20)
        raise SystemExit("the sign-in form did not redirect")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise SystemExit(f"the sign-in form answered {answer.code}")
        back = answer.headers["Location"]
    print(f"redirect {back.split('?')[0]}", flush=True)
    shown = urllib.request.urlopen(back, timeout=20).read().decode()
    print(f"listener said {shown[:80]!r}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
