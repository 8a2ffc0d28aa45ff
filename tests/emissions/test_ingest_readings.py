"""The readings reader on its own: JSON and CSV bodies, the fast path and the full path."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emissions.ingest.readings import BatchInvalid, Row, RowChecker, decode_rows, fits_storage

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def check(rows: list[Any], unit: str = "", cumulative: bool = False) -> Any:
    return RowChecker("kWh", cumulative, NOW, unit).check(rows)


def test_a_json_body_may_wrap_its_rows_in_readings() -> None:
    body = json.dumps({"readings": [{"start": "2025-01-01T00:00:00Z"}]}).encode()
    assert decode_rows(body, "application/json") == [{"start": "2025-01-01T00:00:00Z"}]


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (b"\xff\xfe", "application/json", "parse_error"),
        (b"[1, 2", "application/json", "parse_error"),
        (b'{"a": 1}', "application/json", "parse_error"),
        (b"[NaN]", "application/json", "parse_error"),
        (b"[]", "application/json", "empty"),
        (b"start,end,value\n", "text/csv", "empty"),
        (b"", "text/csv", "empty"),
        (b'start,end\n"a,b\n', "text/csv", "parse_error"),
    ],
)
def test_an_unreadable_body_is_refused_as_a_whole(
    body: bytes, content_type: str, code: str
) -> None:
    with pytest.raises(BatchInvalid) as refused:
        decode_rows(body, content_type)
    assert refused.value.code == code


def test_a_csv_line_of_the_wrong_width_is_reported_on_its_row() -> None:
    rows = decode_rows(b"start,end,value\n2025-01-01T00:00Z,2025-01-01T00:15Z\n\n", "text/csv")
    parsed = check(rows)
    assert [e.code for e in parsed.errors[0]] == ["row_width"]


def test_a_repeated_key_in_a_row_is_refused_naming_it() -> None:
    body = b'[{"start": "2025-01-01T00:00Z", "start": "2025-01-01T00:05Z", "end": "x", "value": 1}]'
    parsed = check(decode_rows(body, "application/json"))
    assert [(e.path, e.code) for e in parsed.errors[0]] == [("/0/start", "duplicate_key")]


def test_estimated_flags_and_missing_fields() -> None:
    rows = [
        {
            "start": "2025-01-01T00:00Z",
            "end": "2025-01-01T00:15Z",
            "value": "1",
            "estimated": "yes",
        },
        {
            "start": "2025-01-01T00:15Z",
            "end": "2025-01-01T00:30Z",
            "value": "1",
            "estimated": "maybe",
        },
        {"end": "2025-01-01T00:30Z"},
        {"start": "2025-01-01T00:45Z", "end": "2025-01-01T01:00Z", "value": True},
        {"start": "2025-01-01T00:45Z", "end": "2025-01-01T01:00Z", "value": 1, "unit": 5},
    ]
    parsed = check(rows)
    assert parsed.rows[0].interval.estimated is True
    assert {i: [e.code for e in errors] for i, errors in parsed.errors.items()} == {
        1: ["invalid_flag"],
        2: ["required", "required"],
        3: ["invalid_number"],
        4: ["invalid_unit"],
    }


def test_a_value_that_would_need_rounding_after_conversion_is_refused() -> None:
    rows = [{"start": "2025-01-01T00:00Z", "end": "2025-01-01T00:15Z", "value": "1"}]
    assert [e.code for e in check(rows, unit="t").errors[0]] == ["incompatible_unit"]
    heat = RowChecker("kWh", False, NOW, "GJ").check(rows)  # 277.777… kWh
    assert [e.code for e in heat.errors[0]] == ["inexact_conversion"]
    assert RowChecker("kWh", False, NOW, "MWh").check(rows).rows[0].interval.value == 1000


def test_a_register_row_needs_a_timestamp_and_a_reading() -> None:
    parsed = check(
        [{"timestamp": "2025-01-01T00:00Z", "reading": "5"}, {"reading": 1}], cumulative=True
    )
    assert parsed.points[0].register.reading == 5
    assert [e.code for e in parsed.errors[1]] == ["required"]
    assert [
        e.code
        for e in check([{"timestamp": "x", "reading": "1", "unit": "t"}], cumulative=True).errors[0]
    ] == ["incompatible_unit", "invalid_timestamp"]


def test_storage_fits_eighteen_digits_before_the_point_and_twelve_after() -> None:
    assert fits_storage(Decimal("999999999999999999.999999999999"))
    assert not fits_storage(Decimal("1e18"))
    assert not fits_storage(Decimal("0.0000000000001"))


_moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2025, 12, 31),
    timezones=st.sampled_from([UTC, None]),
)
_values = st.one_of(
    st.integers(min_value=-5, max_value=10**19),
    st.decimals(allow_nan=True, allow_infinity=True, places=14).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=13),
    st.sampled_from(["1_000", " 12.5", "1e3", "-0", "", None, True, "12.", ".5"]),
)


def _row(start: datetime, end: datetime, value: Any) -> dict[str, Any]:
    return {"start": start.isoformat(), "end": end.isoformat(), "value": value}


@given(start=_moments, end=_moments, value=_values)
def test_the_fast_path_takes_exactly_the_rows_the_full_path_takes(
    start: datetime, end: datetime, value: Any
) -> None:
    checker = RowChecker("kWh", False, NOW)
    raw = _row(start, end, value)
    fast = checker._fast_interval(0, raw)
    full, errors = checker._row(0, raw)
    if fast is not None:
        assert errors == []
        assert isinstance(full, Row)
        assert fast.interval == full.interval
    else:  # the full path either refuses it or takes it in a form the fast one leaves to it
        assert errors or isinstance(value, str) or start.tzinfo is None or end.tzinfo is None
