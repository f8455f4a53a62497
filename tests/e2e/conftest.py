"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) headless."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "assets" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"]

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make to set
# up data are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Watch:
    """What went wrong in a browser, as a person would not see it: console errors, requests
    that failed, sub-resources (styles, scripts, images) answered with an error. A page
    answered 4xx on purpose (a refused form shown again) is the page itself, not a fault."""

    def __init__(self):
        self.problems: list[str] = []

    def follow(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        return page

    def _console(self, message) -> None:
        # Chromium logs every 4xx answer as « Failed to load resource »: _response judges them.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def _failed(self, request) -> None:
        # A page left (or a live stream closed by the test) aborts what it had under way.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        kind = response.request.resource_type
        if response.status >= 400 and kind not in {"document", "xhr", "fetch", "eventsource"}:
            self.problems.append(f"{response.status}: {response.url} ({kind})")

    def check(self) -> None:
        assert not self.problems, "the browser saw:\n" + "\n".join(self.problems[:10])


@pytest.fixture
def page(browser: Browser) -> Page:
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    watch = Watch()
    page = watch.follow(context.new_page())
    page.set_default_timeout(10_000)
    yield page
    context.close()
    watch.check()


@pytest.fixture
def new_page(browser: Browser):
    """Open pages in their own contexts (one per person), all closed when the test ends so that
    no connection outlives the live server."""
    contexts, watch = [], Watch()

    def open_page(viewport=DESKTOP, **options) -> Page:
        context = browser.new_context(viewport=viewport, locale="fr-FR", **options)
        contexts.append(context)
        page = watch.follow(context.new_page())
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    watch.check()


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA and RGAA rules) on the page; return what it finds."""
    # Evaluated, not added as a <script>: the pages' Content-Security-Policy refuses inline ones.
    page.evaluate(AXE.read_text())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
