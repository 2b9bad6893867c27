"""The browser dashboard: one server-rendered page (Jinja2), its JSON views and its scripts.

Mounted by ``create_app`` (it includes ``router`` from this module when present). The page shows
the TPI and its audit, the full TPI history with every day's move explained (ADR 0240), the futures curve beside the model's forward curve, each contract's
ladder and trades, and — with an API key kept in the browser's sessionStorage — the caller's
positions, margin and P&L. The selected contract's ladder and trades are pushed over the
venue's market WebSocket; the joined views are polled every ``poll_s`` seconds (ADR 0706).
Plain JavaScript, SVG charts, no CDN (``static/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tokenfutures.api.auth import authenticate_request
from tokenfutures.api.context import get_context
from tokenfutures.api.dashboard_data import account_detail, book_detail, market_overview
from tokenfutures.api.dashboard_index import tpi_history
from tokenfutures.api.schemas import WireResponse
from tokenfutures.api.ws import router as ws_router
from tokenfutures.core.clock import Clock, SystemClock
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.marketmaking.fair_value import CalendarModel, latest_calendar_model
from tokenfutures.quant.params import JumpDiffusionParams
from tokenfutures.venue.service import Venue
from tokenfutures.wire import encode

PAGE_PATH = "/dashboard"
DATA_PREFIX = f"{PAGE_PATH}/data"
STATIC_PREFIX = f"{PAGE_PATH}/static"
_HERE = Path(__file__).resolve().parent
WS_PREFIX = ws_router.prefix
_STATIC = {
    "dashboard.js": "text/javascript",
    "live.js": "text/javascript",
    "tpi_history.js": "text/javascript",
    "dashboard.css": "text/css",
}
_templates = Environment(
    loader=FileSystemLoader(_HERE / "templates"), autoescape=select_autoescape(["html"])
)


@dataclass(frozen=True)
class DashboardSettings:
    """What the dashboard needs beside the venue: the model, a clock for today, the poll period.

    ``poll_s`` is how often the page re-reads the joined views (TPI, curve, contracts,
    account); the ladder and trades do not poll, they are pushed (ADR 0706).
    """

    params: JumpDiffusionParams | CalendarModel = field(default_factory=latest_calendar_model)
    clock: Clock = field(default_factory=SystemClock)
    title: str = "venue dashboard"
    poll_s: float = 5.0

    def __post_init__(self) -> None:
        if not self.poll_s > 0:
            raise InvalidParameterError("poll_s", self.poll_s, "> 0 seconds")


def install_dashboard_settings(app: Any, settings: DashboardSettings) -> None:
    """Set the dashboard's model and clock on ``app`` (``serve`` does; defaults otherwise)."""
    app.state.dashboard = settings


def _settings(request: Request) -> DashboardSettings:
    found = getattr(request.app.state, "dashboard", None)
    return found if isinstance(found, DashboardSettings) else DashboardSettings()


def _venue(request: Request) -> Venue:
    return get_context(request).venue


def _today(settings: DashboardSettings) -> date:
    now: datetime = settings.clock.now()
    return now.astimezone(UTC).date()


router = APIRouter(include_in_schema=False)


@router.get("/")
def root_redirect() -> RedirectResponse:
    """The site root opens the dashboard."""
    return RedirectResponse(PAGE_PATH)


@router.get(PAGE_PATH, response_class=HTMLResponse)
def dashboard_page(request: Request) -> HTMLResponse:
    """The dashboard page, rendered with the current market so it reads well before any update."""
    settings = _settings(request)
    market = market_overview(_venue(request), _today(settings), settings.params)
    contracts = market["contracts"]
    html = _templates.get_template("dashboard.html").render(
        title=settings.title,
        market=market,
        audit_rows=market["tpi"]["audit_rows"] if market["tpi"] else [],
        selected=contracts[0]["symbol"] if contracts else None,
        market_json=encode(market).decode().replace("</", "<\\/"),
        static_prefix=STATIC_PREFIX,
        data_prefix=DATA_PREFIX,
        ws_prefix=WS_PREFIX,
        poll_ms=round(settings.poll_s * 1000),
    )
    return HTMLResponse(html)


@router.get(f"{STATIC_PREFIX}/{{name}}")
def dashboard_static(name: str) -> FileResponse:
    """The page's script and style sheet (a fixed list of files)."""
    if name not in _STATIC:
        raise HTTPException(status_code=404, detail=f"no static file {name!r}")
    return FileResponse(_HERE / "static" / name, media_type=_STATIC[name])


@router.get(f"{DATA_PREFIX}/market")
def dashboard_market(request: Request) -> WireResponse:
    """TPI, contracts with settlement/bid/ask/mid/last/model, and the model forward curve."""
    settings = _settings(request)
    return WireResponse(market_overview(_venue(request), _today(settings), settings.params))


@router.get(f"{DATA_PREFIX}/tpi-history")
def dashboard_tpi_history(request: Request) -> WireResponse:
    """The full TPI history the venue holds, each day's move split into its parts (ADR 0240)."""
    return WireResponse(tpi_history(_venue(request).index.index_fixings()))


@router.get(f"{DATA_PREFIX}/book/{{contract}}")
def dashboard_book(request: Request, contract: str) -> WireResponse:
    """Ladder and recent trades of ``contract`` (the page reads it once per subscription)."""
    venue = _venue(request)
    if contract not in {c.symbol for c in venue.settlement.contracts()}:
        raise HTTPException(status_code=404, detail=f"no listed contract {contract!r}")
    return WireResponse(book_detail(venue, contract))


@router.get(f"{DATA_PREFIX}/account")
def dashboard_account(
    request: Request, x_api_key: Annotated[str | None, Header()] = None
) -> WireResponse:
    """The key holder's margin, positions with P&L and open orders; 401 without a valid key.

    Authenticated and rate limited exactly like the API (failed checks included, ADR 0655).
    """
    del x_api_key  # documented here; read by ``authenticate_request`` with the other forms
    account = authenticate_request(request)
    return WireResponse(account_detail(_venue(request), account))
