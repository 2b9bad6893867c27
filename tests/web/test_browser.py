"""The dashboard in a real browser: headless Chromium (Playwright) against a real uvicorn server.

Asserts what a person sees: today's TPI value, a contract row, a two-sided ladder after the
market maker quoted, and a position after a trade once the API key is entered. Skips only when
``/usr/bin/chromium`` is missing (CI installs it). ``TOKENFUTURES_UPDATE_SCREENSHOT=1`` copies
the screenshot to ``docs/img/dashboard.png``; a plain run leaves the work tree as it was. The live updates are in ``test_browser_live``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.contracts import product_spec, trading_contracts

from .conftest import NOW, Market

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "dashboard.png"


def test_a_person_sees_the_index_the_curve_the_ladder_and_their_position(
    market: Market, page: Page, tmp_path: Path
) -> None:
    symbols = [str(s) for s in trading_contracts(product_spec("SIT"), NOW.date())]
    page.goto(f"{market.url}/dashboard")

    expect(page.locator("#tpi-level")).to_have_text(str(market.tpi.level))
    front_row = page.locator(f"#contracts tr[data-symbol='{symbols[0]}']")
    expect(front_row).to_be_visible()
    expect(front_row.locator("td.sym")).to_have_text(symbols[0])
    expect(page.locator("#curve-chart path.model-line")).to_have_count(1)

    # the ladder of the first contract, two-sided after the market maker quoted
    expect(page.locator("#ladder tr.bid-level").first).to_be_visible()
    expect(page.locator("#ladder tr.ask-level").first).to_be_visible()
    expect(page.locator("#ladder tr.bid-level td.bid").first).to_have_text("50")
    expect(page.locator("#connection")).to_have_text("live")

    # clicking another contract shows its book
    page.locator(f"#contracts tr[data-symbol='{symbols[2]}']").click()
    expect(page.locator("#book-contract")).to_contain_text(symbols[2])

    # a trade, then the account panel with the key entered in the page
    with TokenFuturesClient(market.url, market.keys["alice"]) as alice:
        ask = alice.book(symbols[2]).asks[0].price
        assert (
            alice.submit_order(symbols[2], "buy", 3, "alice-browser-1", price=ask).filled_quantity
            == 3
        )
    page.fill("#api-key", market.keys["alice"])
    page.click("#key-form button[type=submit]")
    expect(page.locator("#account-status")).to_have_text("account alice")
    position = page.locator("#positions tbody tr", has_text=symbols[2])
    expect(position).to_be_visible()
    expect(position.locator("td").nth(1)).to_have_text("3")
    expect(page.locator("#trades tbody tr").first).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('tokenfutures.apiKey')") == market.keys["alice"]

    # the audit of today's fix, opened by a click
    page.click("#tpi-audit summary")
    audit = page.locator("#tpi-audit-table")
    expect(audit).to_be_visible()
    expect(audit).to_contain_text(market.tpi.methodology_version)
    expect(audit).to_contain_text("providers (count)")

    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("TOKENFUTURES_UPDATE_SCREENSHOT") == "1":  # refresh the README's picture
        shutil.copyfile(shot, DOCS_SCREENSHOT)


def test_a_wrong_key_is_refused_in_the_page(market: Market, page: Page) -> None:
    page.goto(f"{market.url}/dashboard")
    page.fill("#api-key", "not-a-key")
    page.click("#key-form button[type=submit]")
    expect(page.locator("#account-status")).to_have_text("key not accepted")
    expect(page.locator("#account-body")).to_be_hidden()
