"""axe-core over published pages in headless Chromium: every rule axe runs by default (WCAG A
and AA and the best practices), each violation as "page: rule (n nodes): first target".

axe-core is the axe.min.js inside the axe-playwright-python wheel (installed by `make setup`, no
fetch at test time); the pages' CSP forbids scripts, so it is injected through the driver with
the CSP bypassed (playwright's `bypass_csp`), never by loosening the published CSP. Chromium is
Debian's (`make browser`), launched by path: no `playwright install`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def violations(pages: list[Path]) -> list[str]:
    """Every axe violation on `pages`, one line each ([] when there is none)."""
    from playwright.sync_api import sync_playwright

    script, found = axe_source(), []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            tab = browser.new_context(bypass_csp=True).new_page()
            for page in pages:
                tab.goto(page.resolve().as_uri())
                tab.evaluate(script)
                result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
                found += [f"{page.name}: {v['id']} ({len(v['nodes'])} nodes): {v['nodes'][0]['target']}"
                          for v in result["violations"]]
        finally:
            browser.close()
    return found
