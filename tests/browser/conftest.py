"""Playwright on Debian's Chromium against pytest-django's live server, at 1366×768.

Each test gets a fresh demo bureau (the live server needs a transactional database; the rows that the
migrations load — rule sets, categories, the calendar — come back through serialized rollback, which every
test module asks for in its `pytestmark`). Screenshots go to a temporary folder; with
XIAOBAO_SCREENSHOTS=1 they are written to docs/screenshots/ instead, to refresh the committed ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from xiaobao.demo.bureau import create_bureau

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 768}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    # Playwright's sync API runs an event loop in the test thread, where Django would refuse ORM calls. Only
    # for these tests (hooks of this conftest run for this folder's items): `manage.py check --deploy` in
    # tests/deploy, run later in the same session, must not see the variable.
    item.stash[_previous] = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        previous = item.stash.get(_previous, None)
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


_previous = pytest.StashKey[str | None]()


# Package scope: Playwright's sync API keeps an event loop running in the test thread while it is started, and
# Django refuses to open a connection from a thread with a running loop. Stopped after the last browser test,
# the tests that come after (a transactional test opening a fresh connection) run as they do alone.
@pytest.fixture(scope="package")
def browser(django_db_setup) -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium package (make test does) to run browser tests")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {alias: connections[alias]._test_serialized_contents for alias in connections
                  if hasattr(connections[alias], "_test_serialized_contents")}
    with sync_playwright() as pw:
        # Playwright's greenlets give the test thread a new context, and Django's connections are context-local:
        # the new connection objects lack the copy of the migrated rows that serialized rollback reloads.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def staff(transactional_db) -> dict:
    """The demo bureau's accounts by username, all with the shared test password."""
    return create_bureau(PASSWORD)


@pytest.fixture
def page(browser, live_server, staff) -> Iterator:
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    p = context.new_page()
    yield p
    # Leave the page and let the live server finish what it was still answering (panels loaded by htmx), so the
    # test database is not flushed under a request that holds a table ("database table is locked" under load).
    p.goto("about:blank")
    p.wait_for_timeout(300)
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    if os.environ.get("XIAOBAO_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(screenshot_dir) -> Callable:
    def take(page, name: str) -> Path:
        """The top of the page, as someone arriving on it sees it."""
        path = screenshot_dir / f"{name}.png"
        page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
        page.screenshot(path=str(path))
        return path

    return take
