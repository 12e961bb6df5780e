"""The portal in a real browser: Playwright for Python driving Debian's Chromium against `rongtuk run`.

These tests run in a plain pytest process (tests/parallel.py starts it), not under `nameko test`:
Playwright's own event loop does not live with eventlet's monkey patch. One site is started for the
session; each test makes its own cases and accounts. Every page a test looks at is kept as a PNG in
test-artifacts/screenshots/ (RONGTUK_ARTIFACTS names another folder).
"""
import os
import re
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from shared.config import PROJECT_ROOT
from tests.helpers import EmbeddedSites, installed, wait_for

ARTIFACTS = Path(os.environ.get("RONGTUK_ARTIFACTS") or PROJECT_ROOT / "test-artifacts") / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def chromium_path():
    """CHROMIUM names the browser; else Debian's chromium (installed() says what a missing one means)."""
    return os.environ.get("CHROMIUM") or installed("chromium", "chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=args)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    sites = EmbeddedSites(tmp_path_factory.mktemp("portal"))
    try:
        yield sites.start()
    finally:
        sites.stop_all()


@pytest.fixture
def shots(request):
    """shots(page, name): keep a full-page screenshot as test-artifacts/screenshots/<test>-<n>-<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^a-z0-9_]+", "_", request.node.name.lower())
    taken = []

    def shot(page, name):
        taken.append(name)
        path = ARTIFACTS / f"{test}-{len(taken):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return shot


def new_page(browser, base, device=DESKTOP, **options):
    context = browser.new_context(base_url=base, locale="th-TH", timezone_id="Asia/Bangkok", **device, **options)
    context.set_default_timeout(15000)
    return context.new_page()


def make_user(site, role, units=()):
    """A new account on the site (`rongtuk user create`): (username, password)."""
    username = f"{role.replace('_', '-')}-{secrets.token_hex(3)}"
    password = f"ลำไย-{secrets.token_urlsafe(12)}-Kalasin"
    command = [sys.executable, "-m", "services.cli", "user", "create", username, "--role", role, "--password-stdin"]
    for unit in units:
        command += ["--unit", unit]
    made = subprocess.run(command, input=password + "\n", cwd=PROJECT_ROOT, env=site.env, capture_output=True,
                          text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    return username, password


def log_in(page, username, password, landing=None):
    """Log in on the login page; the role's first page follows (`landing`: its URL pattern)."""
    page.goto("/login")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(landing or re.compile(r".*/officer/(figures|users)?$"))


def case_count(site):
    with sqlite3.connect(site.data_dir / "intake.db") as db:
        return db.execute("SELECT count(*) FROM cases").fetchone()[0]


def routed_unit(site, tracking_number, access_code):
    """The unit routing gave the case (its complainant's view of it, through the JSON API)."""
    def routed():
        answer = requests.get(f"{site.base}/api/v1/cases/{tracking_number}", headers={"X-Access-Code": access_code},
                              timeout=10).json()
        return answer["unit"]["id"] if answer.get("unit") else None
    wait_for(routed, timeout=30, interval=0.2, message="the case to be routed")
    return routed()


def other_unit(site, unit):
    """A unit of the site's directory that is not `unit`."""
    import yaml
    directory = yaml.safe_load((PROJECT_ROOT / "deploy" / "directory.yml").read_text(encoding="utf-8"))
    return next(u for u in directory["units"] if u != unit)
