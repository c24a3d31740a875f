"""axe-core (the npm package in node_modules, installed by `npm ci`) run inside a Playwright page."""

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_path():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` at the repository root")
    return str(AXE)


def violations(page, impacts=SERIOUS):
    """Serious and critical axe violations of the current page: [(rule, impact, [targets])]."""
    page.add_script_tag(path=axe_path())
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 160))]);
    }""")
    return [v for v in found if v[1] in impacts]


def violations_at(page, urls, impacts=SERIOUS):
    """{url: violations} of each page of ``urls`` that has any (opened in turn in ``page``)."""
    problems = {}
    for url in urls:
        page.goto(url)
        found = violations(page, impacts)
        if found:
            problems[url] = found
    return problems


def new_phone_context(browser, live_server, width=360, height=780):
    """A 360 px context that lets the test inject axe (the portal's CSP forbids inline scripts)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID", base_url=live_server.url,
                                  bypass_csp=True)
    context.set_default_timeout(15_000)
    os.makedirs("test-artifacts", exist_ok=True)
    return context
