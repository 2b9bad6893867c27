"""The dashboard's JSON views, assembled from the venue facade and the model's forward curve.

Kept apart from the router so the shapes can be tested without HTTP. Every value that is money
or a price is a canonical Decimal string; the page only displays and plots them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tokenfutures.contracts import front_month, parse_symbol, spec_for_symbol
from tokenfutures.core.money import round_money
from tokenfutures.marketmaking.fair_value import CalendarModel, contract_fair_values, model_curve
from tokenfutures.quant.params import JumpDiffusionParams
from tokenfutures.venue.service import Venue
from tokenfutures.venue.views import ContractView, FixingView, PositionView

TRADES_SHOWN = 20
LADDER_DEPTH = 10
CURVE_POINTS = 40
CLEARING_DAYS_SHOWN = 10


def market_overview(
    venue: Venue, today: date, params: JumpDiffusionParams | CalendarModel
) -> dict[str, Any]:
    """TPI (today's fix, audit, history), the contracts with their prices, and the model curve."""
    fixings = sorted(venue.index.index_fixings(), key=lambda f: f.day)
    known = {f.day: f.level for f in fixings if f.level is not None}
    latest = next((f for f in reversed(fixings) if f.level is not None), None)
    contracts = sorted(venue.settlement.contracts(), key=lambda c: c.last_trading_day)
    fair = _fair_values(params, today, latest, [c.symbol for c in contracts], known)
    rows = [_contract_row(venue, c, fair.get(c.symbol), today) for c in contracts]
    curve = _model_points(params, today, latest, contracts)
    return {
        "as_of": today.isoformat(),
        "tpi": None if latest is None else _tpi(latest),
        "tpi_history": [{"day": f.day.isoformat(), "level": _s(f.level)} for f in fixings],
        "contracts": rows,
        "model_curve": [{"day": d.isoformat(), "forward": str(v)} for d, v in curve],
        "clearing": clearing_days(venue),
    }


def clearing_days(venue: Venue, shown: int = CLEARING_DAYS_SHOWN) -> list[dict[str, Any]]:
    """The latest end-of-day results, newest first: settlements, VM paid, calls, expiries,
    fees billed, the default fund's Cover-2 and the default auctions opened or closed."""
    rows = []
    for report in reversed(venue.settlement.reports()[-shown:]):
        front = report.settlements[0] if report.settlements else None
        rows.append(
            {
                "day": report.day.isoformat(),
                "settled": len(report.settlements),
                "front": None if front is None else f"{front.contract} {front.price}",
                "vm_paid": str(
                    sum((-v for v in report.variation_margin.values() if v < 0), Decimal(0))
                ),
                "calls": len(report.margin_calls),
                "called": str(sum(report.margin_calls.values(), Decimal(0))),
                "defaults": len(report.defaults),
                "expiries": [f"{f.contract} {f.price}" for f in report.final_settlements],
                "fees": str(
                    sum((*report.trading_fees.values(), *report.clearing_fees.values()), Decimal(0))
                ),
                "cover2": str(report.cover2),
                # public panel: no defaulter's name (ADR 0621)
                "auctions": [f"#{a.auction_id}: {a.status}" for a in report.auctions],
            }
        )
    return rows


def book_detail(venue: Venue, contract: str) -> dict[str, Any]:
    """The ladder (best first on each side) and the latest trades of one contract."""
    book = venue.market.book(contract, depth=LADDER_DEPTH)
    trades = venue.market.trades(contract, limit=TRADES_SHOWN)
    return {
        "contract": book.contract,
        "phase": book.phase,
        "seq": book.seq,
        "last": _s(book.last_price),
        "bids": [_level(level) for level in book.bids],
        "asks": [_level(level) for level in book.asks],
        "trades": [
            {
                "trade_id": t.trade_id,
                "price": str(t.price),
                "quantity": t.quantity,
                "aggressor_side": t.aggressor_side,
                "ts": t.ts.isoformat(),
            }
            for t in sorted(trades, key=lambda t: t.trade_id, reverse=True)
        ],
    }


def account_detail(venue: Venue, account: str) -> dict[str, Any]:
    """Margin summary, positions with P&L against their mark, and open orders of ``account``."""
    margin = venue.accounts.margin(account)
    contracts = {c.symbol: c for c in venue.settlement.contracts()}
    positions = [_position_row(venue, p, contracts) for p in venue.accounts.positions(account)]
    total = sum((Decimal(p["pnl"]) for p in positions), Decimal(0))
    summary = [
        ("collateral (USD)", str(margin.collateral)),
        ("initial margin (USD)", str(margin.initial)),
        ("maintenance margin (USD)", str(margin.maintenance)),
        ("excess (USD)", str(margin.excess)),
        ("margin call (USD)", _s(margin.call_amount) or "none"),
        ("P&L vs trade prices (USD)", str(total)),
    ]
    return {
        "account": account,
        "summary": summary,
        "pnl_total": str(total),
        "positions": positions,
        "open_orders": [o.to_dict() for o in venue.trading.orders(account, open_only=True)],
        "clearing": [
            {
                "day": r.day.isoformat(),
                "vm": str(r.variation_margin.get(account, Decimal(0))),
                "call": _s(r.margin_calls.get(account)) or "",
                "defaulted": account in r.defaults,
                "fees": str(
                    r.trading_fees.get(account, Decimal(0))
                    + r.clearing_fees.get(account, Decimal(0))
                ),
                "fund": str(r.default_fund.get(account, Decimal(0))),
            }
            for r in reversed(venue.settlement.reports()[-CLEARING_DAYS_SHOWN:])
        ],
    }


def audit_rows(audit: Mapping[str, Any], top: int = 5) -> list[tuple[str, str]]:
    """A readable (label, value) view of a fix's audit trail (as the venue stores it).

    Counts of constituents, providers and exclusions, the cap flags, the largest provider
    weights, the sub-index levels and the cheapest-to-deliver route; unknown keys as text.
    """
    rows: list[tuple[str, str]] = []
    inner = audit.get("audit")
    details: Mapping[str, Any] = inner if isinstance(inner, Mapping) else {}
    for key in ("methodology_version", "fallback_from"):
        if audit.get(key) is not None:
            rows.append((key.replace("_", " "), str(audit[key])))
    for key in ("constituents", "providers", "exclusions"):
        if isinstance(details.get(key), list | tuple):
            rows.append((f"{key} (count)", str(len(details[key]))))
    for key in ("snapshot_date", "cap_binding", "cap_infeasible"):
        if key in details:
            rows.append((key.replace("_", " "), _short(details[key])))
    providers = [p for p in details.get("providers", ()) if isinstance(p, Mapping)]
    ranked = sorted(providers, key=lambda p: _weight(p.get("weight")), reverse=True)
    for weight in ranked[:top]:
        label = f"weight {weight.get('provider')} / {weight.get('model')}"
        price = _price_text(weight.get("price"))
        rows.append((label, f"{_weight(weight.get('weight')):.4f} at {price}"))
    for sub in audit.get("sub_indices", ()) or ():
        if isinstance(sub, Mapping):
            rows.append(
                (
                    f"sub-index {sub.get('name')}",
                    f"{sub.get('level')} ({sub.get('providers')} providers)",
                )
            )
    cheapest = audit.get("cheapest_to_deliver")
    if isinstance(cheapest, Mapping):
        rows.append(
            ("cheapest to deliver", f"{cheapest.get('provider')} / {cheapest.get('model')}")
        )
    known = {"methodology_version", "fallback_from", "audit", "sub_indices", "cheapest_to_deliver"}
    rows.extend((str(k), _short(v)) for k, v in audit.items() if k not in known)
    return rows


def _weight(value: Any) -> float:
    """A provider weight as a float for display (stored as a fraction string or a number)."""
    try:
        return float(Fraction(str(value)))
    except (ValueError, ZeroDivisionError):
        return 0.0


def _price_text(value: Any) -> str:
    """A long exact price shortened to six decimals for display."""
    try:
        return str(round_money(Decimal(str(value))))
    except ArithmeticError:
        return str(value)


def _short(value: Any) -> str:
    if isinstance(value, list | tuple):
        return f"{len(value)} items"
    if isinstance(value, Mapping):
        return f"{len(value)} fields"
    return "" if value is None else str(value)


def _tpi(fix: FixingView) -> dict[str, Any]:
    return {
        "day": fix.day.isoformat(),
        "level": _s(fix.level),
        "status": fix.status,
        "published_at": None if fix.published_at is None else fix.published_at.isoformat(),
        "revision": fix.revision,
        "audit_rows": audit_rows(fix.audit),
    }


def _fair_values(
    params: JumpDiffusionParams | CalendarModel,
    today: date,
    latest: FixingView | None,
    symbols: Sequence[str],
    known: Mapping[date, Decimal],
) -> dict[str, Decimal]:
    if latest is None or latest.level is None or not symbols:
        return {}
    return contract_fair_values(params, today, latest.level, symbols, known)


def _model_points(
    params: JumpDiffusionParams | CalendarModel,
    today: date,
    latest: FixingView | None,
    contracts: Sequence[ContractView],
) -> list[tuple[date, Decimal]]:
    if latest is None or latest.level is None:
        return []
    end = max((c.last_trading_day for c in contracts), default=today + timedelta(days=365))
    step = max(1, (end - today).days // CURVE_POINTS)
    days = [today + timedelta(days=k) for k in range(0, (end - today).days + 1, step)]
    return model_curve(params, today, latest.level, days)


def _contract_row(
    venue: Venue, c: ContractView, fair: Decimal | None, today: date
) -> dict[str, Any]:
    book = venue.market.book(c.symbol, depth=1)
    bid = book.bids[0].price if book.bids else None
    ask = book.asks[0].price if book.asks else None
    mid = (bid + ask) / 2 if bid is not None and ask is not None else None
    settlements = venue.settlement.settlements(c.symbol)
    settlement = max(settlements, key=lambda s: s.day).price if settlements else c.prior_settlement
    return {
        "symbol": c.symbol,
        "last_trading_day": c.last_trading_day.isoformat(),
        "phase": c.phase,
        "is_front": _is_front(c.symbol, today),
        "settlement": _s(settlement),
        "bid": _s(bid),
        "ask": _s(ask),
        "mid": _s(mid),
        "last": _s(book.last_price),
        "fair": _s(fair),
    }


def _is_front(symbol: str, today: date) -> bool:
    parsed = parse_symbol(symbol)
    return parsed.delivery == front_month(spec_for_symbol(parsed), today)


def _position_row(
    venue: Venue, position: PositionView, contracts: Mapping[str, ContractView]
) -> dict[str, Any]:
    """A position row: mark, current price, and P&L against the account's trade prices
    (realised plus the open lots at the current price, else at the mark; ADR 0409)."""
    contract, quantity, mark = position.contract, position.quantity, position.mark_price
    view = contracts.get(contract)
    reference = mark if mark is not None else (view.prior_settlement if view else None)
    book = venue.market.book(contract, depth=1)
    now = _current_price(
        book.bids[0].price if book.bids else None,
        book.asks[0].price if book.asks else None,
        book.last_price,
    )
    multiplier = spec_for_symbol(parse_symbol(contract)).lot_multiplier
    pnl = position.realised_pnl
    if now is not None and position.average_price is not None:
        pnl += (now - position.average_price) * quantity * multiplier
    elif position.unrealised_pnl is not None:
        pnl += position.unrealised_pnl
    return {
        "contract": contract,
        "quantity": quantity,
        "mark": _s(reference),
        "price": _s(now),
        "average_price": _s(position.average_price),
        "pnl": str(pnl),
    }


def _current_price(
    bid: Decimal | None, ask: Decimal | None, last: Decimal | None
) -> Decimal | None:
    """Mid when both sides are quoted, else the last trade."""
    if bid is not None and ask is not None:
        return (bid + ask) / 2
    return last


def _level(level: Any) -> dict[str, Any]:
    return {"price": str(level.price), "quantity": level.quantity, "orders": level.orders}


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
