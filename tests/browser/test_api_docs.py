"""The API documentation page works under the site's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_render_every_operation_without_csp_errors(live_server, page):
    problems: list[str] = []
    page.on("console", lambda msg: msg.type in ("error", "warning") and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    violations: list[str] = []
    page.expose_function("reportViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));"
    )

    response = page.goto(f"{live_server.url}/api/docs/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy

    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    expect(operations).to_have_count(10)
    paths = operations.all_inner_texts()
    assert any("/api/testimonies/{public_id}/" in path.replace("\u200b", "") for path in paths)

    # Open the search operation: its parameters come from the schema.
    page.locator(".opblock-summary", has_text="Search published testimonies").click()
    expect(page.locator(".parameters-container")).to_contain_text("year_from")
    screenshot(page, "api-docs")
    assert violations == []
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert problems == []
