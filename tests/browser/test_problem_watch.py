"""The watch every browser test relies on: it does report what it is there to catch."""

import pytest

from .conftest import expect

pytestmark = pytest.mark.browser


def test_the_watch_reports_console_errors_exceptions_failed_requests_and_requests_leaving_the_platform(visit):
    page = visit.open("/accounts/login/")
    expect(page.locator("h1")).to_have_text("Connexion")
    assert visit.problems == []

    page.evaluate("console.error('boom')")
    page.evaluate("setTimeout(() => { throw new Error('kaboom'); })")
    page.evaluate("fetch('/static/js/missing.js').catch(() => null)")
    page.evaluate("fetch('https://cdn.example.org/library.js').catch(() => null)")
    page.wait_for_timeout(500)

    reported = "\n".join(visit.problems)
    assert "console error on" in reported and "boom" in reported
    assert "uncaught exception" in reported and "kaboom" in reported
    assert "404 for GET" in reported and "/static/js/missing.js" in reported
    assert "request outside the platform: https://cdn.example.org/library.js" in reported
    with pytest.raises(AssertionError):
        visit.assert_no_problems()
