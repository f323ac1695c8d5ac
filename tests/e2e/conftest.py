"""Browser fixtures: Debian's headless Chromium, driven by Playwright, against pytest-django's live server.

No browser is ever downloaded: the tests use the system Chromium at its standard Debian path. Without it
they are skipped on a developer machine, but they fail in CI (environment variable CI set), where
.ci/run installs Chromium first.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
]
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        reason = f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if "CI" in os.environ:
            pytest.fail(f"CI is set, so the browser tests must run: {reason}.", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as monkeypatch:
        # Playwright's sync API keeps an asyncio event loop in the test thread; Django would otherwise refuse
        # the ORM calls the test makes between browser steps.
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser context (no cookies) with a German browser locale, 1280 px wide, on the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="de-DE")
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()
