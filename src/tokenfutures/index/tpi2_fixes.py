"""tpi-2.0 fixes: the daily :class:`IndexFixing` values (level, status, audit, sub-indices,
cheapest-to-deliver) built from the runs of :mod:`tpi2`, one audit per state (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import round_money
from tokenfutures.index.attribution import MoveAttribution, attribute, route_effects, unchanged
from tokenfutures.index.audit import ConstituentRecord, FixingAudit, ProviderWeight, SubIndex
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.fixing import CheapestRoute, FixStatus, IndexFixing
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.observations import PriceObservation
from tokenfutures.index.precision import exact
from tokenfutures.index.routes import Exclusion, blend
from tokenfutures.index.sit_gate import EPOCH_CREDIT
from tokenfutures.index.tpi2 import (
    SUB_INDICES,
    IndexRun,
    Prepared,
    adjusted_logs,
    masks,
    prepare,
    run_all,
)

Delisted = Mapping[tuple[str, str, str], date]
# a constituent's fields that depend only on its observation
Head = tuple[str, str, str, str, date, Decimal, Decimal, Decimal | None, Decimal]


def tpi2_history(
    observations: Sequence[PriceObservation],
    methodology: Methodology,
    start: date,
    end: date,
    capabilities: CapabilityBook,
    delisted: Delisted | None = None,
) -> list[IndexFixing]:
    """One tpi-2.0 fix per day in ``[start, end]``; the chain always starts at the first data."""
    if end < start:
        raise InvalidParameterError("end", end, f">= start ({start})")
    if not observations:
        raise InvalidParameterError("observations", observations, "at least one observation")
    days = [start + timedelta(days=d) for d in range((end - start).days + 1)]
    if not any(o.effective <= end for o in observations):
        return [_nothing_yet(day, methodology.version) for day in days]
    prep = prepare(observations, methodology, capabilities.sit_grades, end, delisted)
    builder = FixBuilder(prep, run_all(prep))
    return [builder.fix(day) for day in days]


def _nothing_yet(day: date, version: str) -> IndexFixing:
    audit = FixingAudit((), (), (), None, None, False, False, ("no price in force yet",))
    return IndexFixing(day, None, FixStatus.WITHHELD, version, (), None, audit)


def tpi2_fixing(
    observations: Sequence[PriceObservation],
    methodology: Methodology,
    as_of: date,
    capabilities: CapabilityBook,
    delisted: Delisted | None = None,
) -> IndexFixing:
    """The tpi-2.0 fix of one day (the same value the daily history gives for it)."""
    return tpi2_history(observations, methodology, as_of, as_of, capabilities, delisted)[0]


class FixBuilder:
    """Turns the state-level runs into daily fixes, building each state's audit once."""

    def __init__(self, prep: Prepared, runs: Mapping[str, IndexRun]) -> None:
        self.prep = prep
        self.runs = runs
        self.head = runs["headline"]
        self.masks = masks(prep)
        self._audits: dict[int, FixingAudit] = {}
        self._blended: dict[int, Decimal] = {}
        panel = prep.panel
        self._margins = [Decimal(f"{q:.2f}") for q in prep.quality.tolist()]
        self._keys = [r.grade.model_key for r in panel.routes]
        self._excluded_span = np.array([(a, b) for a, b, _ in panel.excluded]).reshape(-1, 2)
        self._below: dict[int, Exclusion] = {}
        self._ctd: dict[int, CheapestRoute | None] = {}
        self._sub_cache: dict[int, tuple[SubIndex, ...]] = {}
        self._heads: dict[int, Head] = {}
        self._open = [r.open_weight for r in panel.routes]
        self._sources = [r.series[0] for r in panel.routes]
        ok = self.head.weights.ok
        self.last_ok = np.maximum.accumulate(np.where(ok, np.arange(len(ok)), -1))

    def fix(self, day: date) -> IndexFixing:
        """The fix of ``day`` (fixed, carried from the last good fix, or withheld)."""
        panel, m = self.prep.panel, self.prep.methodology
        k = panel.state_of(day)
        version = m.version
        if k < 0:
            return _nothing_yet(day, version)
        audit = self._audit(k)
        subs = self._subs(k)
        cheapest = self._cheapest(k)
        if self.head.weights.ok[k]:
            if panel.day(panel.starts[k]) != day:
                audit = replace(
                    audit, attribution=unchanged(day - timedelta(days=1), self.head.levels[k])
                )
            return IndexFixing(
                day, self.head.levels[k], FixStatus.FIXED, version, subs, cheapest, audit
            )
        note = f"{len(self.head.weights.group[k])} qualifying providers < minimum {m.min_providers}"
        j = int(self.last_ok[k])
        if j >= 0 and (day - panel.day(panel.ends[j])).days <= m.max_fallback_days:
            last = panel.day(panel.ends[j])
            audit = replace(
                audit, notes=(*audit.notes, f"{note}: carried the last good fix of {last}")
            )
            return IndexFixing(
                day, self.head.levels[j], FixStatus.FALLBACK, version, subs, cheapest, audit, last
            )
        audit = replace(audit, notes=(*audit.notes, f"{note}: withheld (no usable last good fix)"))
        return IndexFixing(day, None, FixStatus.WITHHELD, version, subs, cheapest, audit)

    def _subs(self, k: int) -> tuple[SubIndex, ...]:
        if k not in self._sub_cache:
            self._sub_cache[k] = tuple(
                SubIndex(name, self.runs[name].levels[k], len(self.runs[name].weights.group[k]))
                for name in SUB_INDICES
            )
        return self._sub_cache[k]

    def _audit(self, k: int) -> FixingAudit:
        if k not in self._audits:
            self._audits[k] = self._build_audit(k)
        return self._audits[k]

    def _build_audit(self, k: int) -> FixingAudit:
        prep, head = self.prep, self.head
        beta = float(head.fit.beta[k])
        records = self._records(k, np.flatnonzero(self.masks["headline"][k]), beta)
        raw, capped = head.weights.raw[k], head.weights.group[k]
        cap = prep.methodology.provider_cap
        notes = (
            f"tpi-2.0 {head.method}: window {prep.methodology.window_days} days, "
            f"quality on the ECI scale vs reference {prep.methodology.reference_quality}",
            EPOCH_CREDIT,
        )
        return FixingAudit(
            constituents=records,
            providers=self._providers(k, beta, raw, capped),
            exclusions=self._exclusions(k),
            snapshot_date=None,
            hedonic_slope=Decimal(f"{beta:.9f}"),
            cap_binding=any(v > cap for v in raw.values()),
            cap_infeasible=bool(capped) and len(capped) * cap < 1,
            notes=notes,
            attribution=self._attribution(k),
        )

    def _obs(self, k: int, i: int) -> tuple[PriceObservation, Decimal]:
        position = int(self.prep.panel.observation[k, i])
        obs = self.prep.panel.observations[position]
        if position not in self._blended:
            self._blended[position] = blend(obs, self.prep.methodology)
        return obs, self._blended[position]

    def _records(self, k: int, members: np.ndarray, beta: float) -> tuple[ConstituentRecord, ...]:
        panel, frontier = self.prep.panel, self.masks["frontier"][k]
        factors = np.exp(-beta * self.prep.quality[members]).tolist()
        positions = panel.observation[k, members].tolist()
        margins, opens = self._margins, self._open
        records = []
        with exact():
            for i, position, x in zip(members.tolist(), positions, factors, strict=True):
                head = self._head(i, position)
                factor = Decimal(repr(x))
                tier = "frontier" if frontier[i] else "standard"
                records.append(
                    ConstituentRecord(*head, margins[i], factor, head[8] * factor, tier, opens[i])
                )
        return tuple(records)

    def _head(self, i: int, position: int) -> Head:
        """The fields of a constituent that depend only on its observation (cached)."""
        head = self._heads.get(position)
        if head is None:
            obs = self.prep.panel.observations[position]
            price = blend(obs, self.prep.methodology)
            self._blended[position] = price
            head = self._heads[position] = (
                obs.provider,
                obs.model,
                obs.source,
                self._keys[i],
                obs.effective,
                obs.input,
                obs.output,
                obs.cached_input,
                price,
            )
        return head

    def _providers(
        self, k: int, beta: float, raw: Mapping[int, Fraction], capped: Mapping[int, Fraction]
    ) -> tuple[ProviderWeight, ...]:
        prep = self.prep
        w = self.head.weights.route[k]
        logs = np.nan_to_num(prep.panel.log_price[k]) - beta * prep.quality
        size = len(prep.group_names)
        total = np.bincount(prep.groups, weights=w, minlength=size)
        weighted = np.bincount(prep.groups, weights=w * logs, minlength=size)
        count = np.bincount(prep.groups, weights=(w > 0).astype(np.float64), minlength=size)
        sources: dict[int, set[str]] = {}
        for c in np.flatnonzero(w > 0).tolist():
            sources.setdefault(int(prep.groups[c]), set()).add(self._sources[c])
        result = []
        for g, weight in sorted(capped.items(), key=lambda kv: prep.group_names[kv[0]]):
            mean = weighted[g] / total[g] if total[g] > 0 else 0.0
            result.append(
                ProviderWeight(
                    prep.group_names[g],
                    f"{int(count[g])} routes",
                    "+".join(sorted(sources.get(g, ()))),
                    round_money(Decimal(repr(math.exp(mean)))),
                    raw[g],
                    weight,
                )
            )
        return tuple(result)

    def _exclusions(self, k: int) -> tuple[Exclusion, ...]:
        panel, spans = self.prep.panel, self._excluded_span
        hits = np.flatnonzero((spans[:, 0] <= panel.ends[k]) & (spans[:, 1] >= panel.starts[k]))
        static = [panel.excluded[i][2] for i in hits.tolist()]
        below = [self._below_gate(i) for i in np.flatnonzero(self.masks["budget"][k]).tolist()]
        waiting = np.flatnonzero(self.prep.panel.present[k] & ~self.prep.active[k]).tolist()
        return (*static, *below, *(self._settling(i) for i in waiting))

    def _settling(self, i: int) -> Exclusion:
        if ~i not in self._below:
            source, provider, model = self.prep.panel.routes[i].series
            why = "its listing is in its settling-in period (new source or vendor, ADR 0214)"
            self._below[~i] = Exclusion(provider, model, source, why)
        return self._below[~i]

    def _below_gate(self, i: int) -> Exclusion:
        if i not in self._below:
            route = self.prep.panel.routes[i]
            source, provider, model = route.series
            why = f"below the SIT gate: {route.grade.basis}"
            self._below[i] = Exclusion(provider, model, source, why)
        return self._below[i]

    def _attribution(self, k: int) -> MoveAttribution | None:
        head, panel = self.head, self.prep.panel
        prev = int(head.fit.previous[k])
        if prev < 0 or not math.isfinite(head.move[k]):
            return None
        w1, w0 = head.weights.link[k], head.weights.route[prev]
        if head.method == "time_dummy":
            a1 = adjusted_logs(self.prep, head, k, k)
            a0 = adjusted_logs(self.prep, head, prev, k)
            effects = route_effects(a1, a0, w1, w0)
        else:
            effects = route_effects(panel.log_price[k], panel.log_price[prev], w1, w0)
            for part in ("entry", "exit", "reweighting"):
                effects[part] = np.zeros_like(effects[part])
        names = [r.series for r in panel.routes]
        residual = float(head.move[k]) - sum(float(v.sum()) for v in effects.values())
        return attribute(effects, names, panel.day(panel.ends[prev]), head.levels[prev], residual)

    def _cheapest(self, k: int) -> CheapestRoute | None:
        if k not in self._ctd:
            self._ctd[k] = self._find_cheapest(k)
        return self._ctd[k]

    def _find_cheapest(self, k: int) -> CheapestRoute | None:
        """The SIT route with the lowest quality-adjusted price in force (settling in or not:
        a buyer can buy it today)."""
        members = np.flatnonzero(self.prep.panel.present[k] & self.prep.eligible)
        if not len(members):
            return None
        beta = float(self.head.fit.beta[k])
        logs = self.prep.panel.log_price[k, members] - beta * self.prep.quality[members]
        i = int(members[int(np.argmin(logs))])
        obs, blended = self._obs(k, i)
        price = Decimal(repr(math.exp(float(logs.min()))))
        return CheapestRoute(obs.provider, obs.model, price, blended)
