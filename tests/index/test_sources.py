"""Readers: bad rows are reported with line and reason, never fatal; empty input is an error."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.observations import require_observations
from tokenfutures.index.sources import read_genai_prices, read_llm_prices_json, read_price_csv
from tokenfutures.index.sources.price_csv import parse_price_rows

HEADER = "date,provider,model,input_usd_per_mtok,output_usd_per_mtok,cached_input_usd_per_mtok,source,source_ref"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prices.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_rows_are_reported_with_line_and_reason(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\n".join(
            [
                HEADER + ",colour",
                "2025-01-01,openai,good,1,4,,x,r,blue",
                "2025-01-01,openai,neg,-1,4,,x,r,blue",
                "2025-01-01,openai,nan,abc,4,,x,r,blue",
                "2025-01-01,openai,noout,1,,,x,r,blue",
                "2025-01-02,openai,dup,1,4,,x,r,blue",
                "2025-01-02,openai,dup,2,4,,x,r,blue",
                "2025-01-03,openai,same,1,4,,x,r,blue",
                "2025-01-03,openai,same,1,4,,x,r,blue",
                "not-a-date,openai,d,1,4,,x,r,blue",
            ]
        )
        + "\n",
    )
    report = read_price_csv(path)
    assert sorted(o.model for o in report.observations) == ["good", "same"]
    reasons = {p.line: p.reason for p in report.problems}
    assert "unknown column 'colour'" in reasons[0]
    assert "negative input" in reasons[3]
    assert "non-numeric input" in reasons[4]
    assert "missing output" in reasons[5]
    assert "conflicting duplicate" in reasons[6]
    assert "conflicting duplicate of line 6" in reasons[7]
    assert "identical duplicate of line 8" in reasons[9]
    assert "bad date" in reasons[10]
    assert report.rows_read == 9
    assert report.observations[0].input == Decimal(1)


def test_empty_and_all_bad_inputs_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="empty"):
        read_price_csv(write(tmp_path, ""))
    with pytest.raises(InvalidParameterError, match="columns"):
        read_price_csv(write(tmp_path, "a,b\n1,2\n"))
    only_bad = read_price_csv(write(tmp_path, HEADER + "\n2025-01-01,openai,m,-1,2,,x,r\n"))
    with pytest.raises(InvalidParameterError, match="negative input"):
        require_observations(only_bad)
    header_only = read_price_csv(write(tmp_path, HEADER + "\n"))
    with pytest.raises(InvalidParameterError, match="empty"):
        require_observations(header_only)


def test_real_price_history_reads_clean(shared_data: Path) -> None:
    report = read_price_csv(shared_data / "llm_price_history.csv")
    with (shared_data / "llm_price_history.csv").open(encoding="utf-8") as handle:
        data_rows = sum(1 for _ in handle) - 1
    assert len(report.observations) + len(report.problems) == data_rows
    assert all(o.output >= 0 and o.input >= 0 for o in report.observations)
    assert {o.source for o in report.observations} == {"genai-prices", "llm-prices"}


def test_llm_prices_current_and_vendor_history(tmp_path: Path) -> None:
    current = tmp_path / "current-v1.json"
    current.write_text(
        json.dumps(
            {
                "updated_at": "2025-03-01",
                "prices": [
                    {"id": "m1", "vendor": "x-ai", "name": "M1", "input": 1.5, "output": 6},
                    {"id": "m2", "vendor": "openai", "name": "M2", "input": "n/a", "output": 6},
                ],
            }
        )
    )
    report = read_llm_prices_json(current)
    assert [(o.provider, o.input, o.effective.isoformat()) for o in report.observations] == [
        ("xai", Decimal("1.5"), "2025-03-01")
    ]
    assert report.problems[0].line == 2
    assert "non-numeric input" in report.problems[0].reason
    vendor = tmp_path / "openai.json"
    vendor.write_text(
        json.dumps(
            {
                "vendor": "openai",
                "models": [
                    {
                        "id": "o3",
                        "price_history": [
                            {"input": 2, "output": 8, "from_date": "2025-06-10", "to_date": None},
                            {"input": 10, "output": 40, "from_date": None, "to_date": "2025-06-10"},
                        ],
                    }
                ],
            }
        )
    )
    history = read_llm_prices_json(vendor)
    assert sorted((o.effective.isoformat(), o.output) for o in history.observations) == [
        ("2024-10-16", Decimal(40)),
        ("2025-06-10", Decimal(8)),
    ]


def test_embedded_genai_prices_source_has_dated_entries() -> None:
    report = read_genai_prices()
    assert len(report.observations) > 1000
    dated = {o.effective for o in report.observations}
    assert len(dated) > 10  # StartDateConstraint entries become their own effective dates
    assert all(isinstance(o.input, Decimal) for o in report.observations)
    assert all(p.reason for p in report.problems)


CELLS = st.one_of(
    st.sampled_from(["", "1", "0", "-3", "abc", "1e3", "NaN", "inf", "2025-01-01", "0.15"]),
    st.text(alphabet="0123456789.-eE ", max_size=6),
)


@settings(deadline=None, max_examples=80)
@given(st.lists(st.lists(CELLS, min_size=8, max_size=8), max_size=12))
def test_any_rows_are_kept_or_reported_never_fatal(rows: list[list[str]]) -> None:
    report = parse_price_rows([HEADER.split(","), *rows], name="fuzz")
    assert report.rows_read == len(rows)
    for observation in report.observations:
        assert observation.input >= 0
        assert observation.output >= 0
        assert observation.input.is_finite()
        assert observation.output.is_finite()
