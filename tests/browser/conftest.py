"""Browser tests: Debian's Chromium (/usr/bin/chromium), headless, driven by Playwright for Python against
pytest-django's live server.

Every module here carries `pytestmark = pytest.mark.browser`. On a machine without Chromium or without the
`playwright` package those tests are skipped; when CI is set they always run, so a missing browser fails
the build instead of hiding it. Playwright's own browser download is never used.

Fixtures
--------
- `browser` (session): the one Chromium, started from /usr/bin/chromium with background networking off.
- `visit`: a `Visit`, a fresh browser context (cookies, language) on the live server:
  - `visit.open("/path/")` loads a page of the platform and saves its screenshot;
  - `visit.screenshot("name")` saves the current page as tests/browser/screenshots/<test>-<nn>-<name>.png
    (a folder git ignores);
  - `visit.problems` lists what went wrong since the context opened: JavaScript console errors, uncaught
    exceptions, requests to the platform that failed or were answered with a status ≥ 400, and any request
    that left the platform (assets are served by the platform itself: no CDN). Such requests are blocked.
  - `visit.assert_no_problems()` ends every test (test_problem_watch.py shows the watch does catch them).
  `visit` alone is a visitor who has not logged in.
- `logged_in_page(user)`: logs `user` in through the login form (the factories' password) and returns the
  `Visit`, on the page the login lands on (the home page, or the coordinator's dashboard).

A new page test reads, for instance (with `from .conftest import expect`: Playwright's `expect`, or None
where Playwright is missing and the tests are skipped):

    def test_the_coordinator_dashboard_shows_its_kpis_chart_and_map(logged_in_page, coordinator):
        visit = logged_in_page(coordinator)
        expect(visit.page.locator(".kpi")).not_to_have_count(0)
        expect(visit.page.locator("canvas")).to_be_visible()
        visit.assert_no_problems()

Data: the live server only sees committed rows, so these tests are transactional. The flush that ends a
transactional test wipes what the data migrations loaded (role groups and their permissions, EWC codes,
materials, units). These tests therefore use serialized rollback, which restores that data before each of
them, and they run after every other test (transactional ones included), so that no later test finds the
reference data gone. Celery stays eager (tests/conftest.py): a task runs in the live server's thread.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse

from ..conftest import RUNNING_IN_CI, restore_reference_data
from ..members.factories import DEFAULT_PASSWORD

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # skipped below, or failed when CI is set
    sync_playwright = expect = None

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
# A test machine must not talk to Google: no component updates, safe-browsing lists, metrics or sync.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-first-run",
    "--no-pings",
]
TIMEOUT_MS = 10_000


def browser_missing() -> str:
    if sync_playwright is None:
        return "the playwright package is not installed (requirements-dev.txt)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return ""


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """After every other ordering (tests/conftest.py puts transactional tests last), browser tests go to the
    very end: their serialized rollback restores the reference data for themselves only."""
    yield
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if not browser_tests:
        return
    chosen = set(browser_tests)
    items[:] = [item for item in items if item not in chosen] + browser_tests
    missing = browser_missing()
    if missing and not RUNNING_IN_CI:
        for item in browser_tests:
            item.add_marker(pytest.mark.skip(reason=f"{missing} (always run in CI)"))


@pytest.fixture(scope="session")
def browser():
    if missing := browser_missing():
        pytest.fail(f"CI is set and {missing}")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's synchronous API keeps an event loop in the main thread, which Django's ORM takes for an
        # async context; the test code around it is synchronous all the same.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        expect.set_options(timeout=TIMEOUT_MS)  # a loaded CI machine answers slower than the default 5 s
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """One browser context on the live server, with what went wrong in it (see the module docstring)."""

    page: "Page"
    base_url: str
    name: str
    problems: list[str] = field(default_factory=list)
    shots: int = 0

    def open(self, path: str) -> "Page":
        self.page.goto(self.base_url + path)
        self.screenshot(path.strip("/") or "home")
        return self.page

    def screenshot(self, name: str) -> Path:
        self.shots += 1
        slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")
        target = SCREENSHOTS / f"{self.name}-{self.shots:02d}-{slug}.png"
        self.page.screenshot(path=target, full_page=True)
        return target

    def log_in(self, user, password: str = DEFAULT_PASSWORD) -> "Page":
        page = self.open(reverse("login"))
        page.locator("#id_username").fill(user.email)
        page.locator("#id_password").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert reverse("login") not in page.url, f"{user.email} could not log in"
        self.screenshot("after-login")
        return page

    def is_platform(self, url: str) -> bool:
        return url.startswith(self.base_url + "/")

    def assert_no_problems(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def _watch(visit: Visit, context) -> None:
    page = visit.page
    page.on("console", lambda message: _check_console(visit, message))
    page.on("pageerror", lambda error: visit.problems.append(f"uncaught exception on {page.url}: {error}"))
    page.on("response", lambda response: _check_response(visit, response))
    page.on("requestfailed", lambda request: _check_failure(visit, request))

    def leave_platform_alone(route):
        if visit.is_platform(route.request.url):
            route.continue_()
        else:
            visit.problems.append(f"request outside the platform: {route.request.url}")
            route.abort()

    context.route("**/*", leave_platform_alone)


def _check_console(visit: Visit, message) -> None:
    if message.type == "error":
        visit.problems.append(f"console error on {visit.page.url}: {message.text} ({message.location})")


def _check_response(visit: Visit, response) -> None:
    if visit.is_platform(response.url) and response.status >= 400:
        visit.problems.append(f"{response.status} for {response.request.method} {response.url}")


def _check_failure(visit: Visit, request) -> None:
    # The browser cancels requests itself when a page is left, or when htmx replaces a pending search by a
    # newer one (hx-sync): that is not the platform failing.
    if visit.is_platform(request.url) and request.failure != "net::ERR_ABORTED":
        visit.problems.append(f"failed {request.method} {request.url}: {request.failure}")


@pytest.fixture(autouse=True)
def reference_data(transactional_db, django_db_serialized_rollback):
    """The data migrations' rows, loaded again if an earlier transactional test's flush removed them."""
    restore_reference_data()


@pytest.fixture
def visit(browser: "Browser", live_server, transactional_db, django_db_serialized_rollback, settings, request):
    settings.MAP_TILE_URL = ""  # the maps draw their markers on a plain background: nothing leaves the machine
    SCREENSHOTS.mkdir(exist_ok=True)
    for previous in SCREENSHOTS.glob(f"{request.node.name}-*.png"):
        previous.unlink()
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    current = Visit(page=context.new_page(), base_url=live_server.url, name=request.node.name)
    _watch(current, context)
    yield current
    context.close()


@pytest.fixture
def logged_in_page(visit):
    """`logged_in_page(user)`: the `Visit`, logged in as `user` through the login form."""

    def log_in(user) -> Visit:
        visit.log_in(user)
        return visit

    return log_in
