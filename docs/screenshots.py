#!/usr/bin/env python3
# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Screenshots of the demo's main pages, for the README, from a running server.

    python3 docs/screenshots.py --url http://127.0.0.1:8069 [--db telecoop_demo]

Logs in as the demo member (portal / portal) and as staff (admin / admin), opens
each page below in headless Chromium (Chrome DevTools protocol, through the
``websocket-client`` package Odoo's own browser tests use), and writes
``docs/screenshots/<name>.png`` (1280 x 800, 256 colours to keep them small).
Run it on the demo database (``make demo``) after a change of the pages: the
pictures stay true to what a member and staff see.
"""

import argparse
import base64
import io
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

HERE = Path(__file__).resolve().parent

#: (file name, login, path, seconds to wait once the page has rendered)
PAGES = (
    ("member-home", "portal", "/my", 2),
    ("member-shares", "portal", "/my/shares", 2),
    ("member-lines", "portal", "/my/lines", 2),
    ("member-line", "portal", "/my/lines/{line}", 3),
    ("member-invoices", "portal", "/my/invoices", 2),
    ("member-assembly", "portal", "/my/assemblies/{assembly}", 2),
    ("staff-members", "admin", "/odoo/action-telecoop_membership.telecoop_membership_action", 4),
    ("staff-register", "admin", "/odoo/action-telecoop_membership.telecoop_share_line_action", 4),
    (
        "staff-usage-imports",
        "admin",
        "/odoo/action-telecoop_mobile_billing.telecoop_usage_import_action",
        4,
    ),
    (
        "staff-billing-runs",
        "admin",
        "/odoo/action-telecoop_mobile_billing.telecoop_billing_run_action",
        4,
    ),
    ("staff-assemblies", "admin", "/odoo/action-telecoop_agm.telecoop_assembly_action", 4),
    ("staff-assembly", "admin", "/odoo/action-telecoop_agm.telecoop_assembly_action/{assembly}", 4),
)
PASSWORDS = {"portal": "portal", "admin": "admin"}


def login(url, db, user):
    """An Odoo session cookie for ``user``, through the login form."""
    session = requests.Session()
    page = session.get(f"{url}/web/login", params={"db": db} if db else None, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{url}/web/login",
        data={"login": user, "password": PASSWORDS[user], "csrf_token": token, "db": db or ""},
        timeout=60,
    )
    answer.raise_for_status()
    if "/web/login" in answer.url:
        raise SystemExit(f"could not log in as {user}")
    return session


def first_id(session, url, path, pattern):
    """The id of the first record linked from a portal list (``/my/lines/<id>``)."""
    found = re.search(pattern, session.get(f"{url}{path}", timeout=60).text)
    return found.group(1) if found else "0"


class Chromium:
    """Headless Chromium driven through the DevTools protocol."""

    def __init__(self, width, height):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            raise SystemExit("chromium is missing (Debian's chromium package)")
        self.profile = tempfile.mkdtemp(prefix="telecoop-shots-")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _ in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
        page = next(target for target in targets if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  width=width, height=height, deviceScaleFactor=1, mobile=False)  # fmt: skip

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, event, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if json.loads(self.socket.recv()).get("method") == event:
                return
        raise TimeoutError(event)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_until(self, expression, timeout=120):
        """Poll a JavaScript condition (the first page compiles the assets: slow)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.5)
        return False

    def shoot(self, url, cookies, wait):
        self.call("Network.clearBrowserCookies")
        for name, value in cookies.items():
            self.call("Network.setCookie", name=name, value=value, url=url)
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        backend = "/odoo/" in url
        self.wait_until(
            "!!document.querySelector('.o_action_manager .o_view_controller')"
            if backend
            else "!!document.querySelector('#wrap, main')"
        )
        # then until nothing is loading any more (the portal's counters, a view's data)
        self.wait_until(
            "!document.querySelector('.spinner-border, .fa-spin, .o_loading_indicator')", 30
        )
        time.sleep(wait)
        return base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="")
    parser.add_argument("--out", default=str(HERE / "screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    url = args.url.rstrip("/")
    sessions = {user: login(url, args.db, user) for user in PASSWORDS}
    ids = {
        "line": first_id(sessions["portal"], url, "/my/lines", r'href="/my/lines/(\d+)'),
        "assembly": first_id(sessions["portal"], url, "/my", r'href="/my/assemblies/(\d+)'),
    }
    if ids["assembly"] == "0":
        ids["assembly"] = first_id(
            sessions["portal"], url, "/my/assemblies", r'href="/my/assemblies/(\d+)'
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    browser = Chromium(args.width, args.height)
    try:
        for name, user, path, wait in PAGES:
            png = browser.shoot(
                f"{url}{path.format(**ids)}", sessions[user].cookies.get_dict(), wait
            )
            image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256)
            image.save(out / f"{name}.png", optimize=True)
            print(f"{name}.png  {path.format(**ids)}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
