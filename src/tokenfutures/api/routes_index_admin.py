"""The index administrator's route: correct a published TPI fix while the market runs (ADR 0245).

Only an ``index-admin:`` principal (``accounts create-operator``) may call it; the operator's
name, not the body, is recorded as ``corrected_by``. The correction is the one of ADR 0241
(``IndexService.correct_fix``): the day's next revision inside the correction window.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict, Field

from tokenfutures.api.auth import Account
from tokenfutures.api.context import Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.problems import ForbiddenError
from tokenfutures.api.schemas import IsoDate, PriceIn, WireResponse, answers
from tokenfutures.venue.operators import index_admin_name
from tokenfutures.wire import Fixing

_RESPONSES = {
    **PROBLEM_RESPONSES,
    400: {"description": "Body is not parseable (e.g. not UTF-8 JSON)"},
    403: {"description": "The key is not an index administrator's (ADR 0245)"},
}
router = APIRouter(prefix="/v1/index", tags=["index"], responses=_RESPONSES)

Reason = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="why (published with the fix as `correction: <reason>`)",
    ),
]


class LevelCorrection(BaseModel):
    """A level set by the administrator's judgement."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason
    level: PriceIn = Field(description="the corrected level, a positive decimal string")


class WithholdCorrection(BaseModel):
    """The published level withdrawn."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason
    withhold: Literal[True] = Field(description="`true`: withhold the fix")


def index_administrator(account: Account, ctx: Context) -> str:
    """The caller's administrator name: 403 for any principal that is not ``index-admin:``."""
    name = index_admin_name(account)
    if name is None or account in ctx.venue.accounts.ids():
        raise ForbiddenError("only an index administrator's key may correct a fix (ADR 0245)")
    return name


IndexAdministrator = Annotated[str, Depends(index_administrator)]


@router.post(
    "/fixings/{day}/corrections",
    status_code=201,
    responses=answers(Fixing, status=201, description="The correction, the day's next revision"),
)
def correct_fixing(
    day: IsoDate,
    body: Annotated[LevelCorrection | WithholdCorrection, Body()],
    by: IndexAdministrator,
    ctx: Context,
) -> WireResponse:
    """Correct a published fix: a level by judgement, or withhold it (ADR 0241, 0245).

    Inside the correction window only; the earlier value stays at ``/revisions`` and
    ``?known_at=``. Refusals (final, not fixed, nothing to correct) are 422 problems.
    """
    level = body.level if isinstance(body, LevelCorrection) else None
    view = ctx.venue.index.correct_fix(
        day, reason=body.reason, by=by, policy=ctx.index_policy, level=level
    )
    return WireResponse(view, status_code=201)
