"""Meter readings in, as a client sends them: a JSON list or a CSV text of rows, checked row
by row into plain intervals (emissions.metering.Interval) in the meter's unit.

Each row either becomes a `Row` or gets `RowError`s (path, code, message); nothing here
touches the database. What needs the stored readings (overlaps with them, changed values)
is the service's part (emissions/services/readings.py).

Rules (docs/decisions.md): timestamps ISO 8601, naive ones read in Asia/Shanghai; end after
start; nothing ending in the future (five minutes of clock skew allowed); value a JSON number
or decimal string, ≥ 0, exact in storage (18 digits before the point, 12 after); a `unit`
(per row, or for the whole batch) convertible to the meter's, exactly.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal, localcontext
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from emissions.accounting.errors import IncompatibleUnit, UnknownUnit
from emissions.accounting.units import canonical_unit, conversion_factor
from emissions.dossier.loading import json_problem, strict_json_constant, strict_json_object
from emissions.limits import DECIMAL_FRACTION_DIGITS, DECIMAL_INTEGER_DIGITS
from emissions.metering.intervals import Interval
from emissions.metering.registers import RegisterReading
from zerocarbon.errors import FieldError, ValidationFailed

LOCAL_ZONE: tzinfo = ZoneInfo("Asia/Shanghai")
CLOCK_SKEW = timedelta(minutes=5)
MAX_ROWS = 50_000

INTERVAL_FIELDS = ("start", "end", "value", "estimated", "unit")
REGISTER_FIELDS = ("timestamp", "reading", "estimated", "unit")
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f", ""})


@dataclass(frozen=True, slots=True)
class RowError:
    path: str  # "/12/end": the row's index, then its field
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Row:
    """A checked interval row; `index` is its position in the batch as sent. Rows of a
    cumulative meter become intervals later, in pairs (`Point`s first)."""

    index: int
    interval: Interval
    # The timestamps as sent, when they carry their offset: COPY reads them as they are.
    texts: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Point:
    """A checked register reading of a cumulative meter."""

    index: int
    register: RegisterReading
    estimated: bool


class BatchInvalid(Exception):
    """The body as a whole is unreadable (not JSON, not a list, too many rows…)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Parsed:
    rows: list[Row]  # interval meters
    points: list[Point]  # cumulative meters
    errors: dict[int, list[RowError]]


def decode_rows(body: bytes, content_type: str) -> list[Any]:
    """The rows of a JSON list or a CSV text (header line first); raises BatchInvalid."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BatchInvalid(
            "parse_error",
            _("The body is not UTF-8 text (byte {byte} cannot be decoded).").format(
                byte=error.start
            ),
        ) from None
    rows = _csv_rows(text) if content_type.startswith("text/csv") else _json_rows(text)
    if len(rows) > MAX_ROWS:
        raise BatchInvalid(
            "too_many_rows",
            _("The batch has {count} rows; at most {limit} are taken in one request.").format(
                count=f"{len(rows):,}", limit=f"{MAX_ROWS:,}"
            ),
        )
    if not rows:
        raise BatchInvalid("empty", _("The batch has no rows."))
    return rows


def _json_rows(text: str) -> list[Any]:
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=strict_json_constant,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as error:
        raise BatchInvalid(
            "parse_error",
            _("The body is not valid JSON: {problem} at line {line}, column {column}.").format(
                problem=json_problem(error.msg), line=error.lineno, column=error.colno
            ),
        ) from None
    except (ValueError, RecursionError):
        raise BatchInvalid("parse_error", _("The body is not JSON the platform reads.")) from None
    if isinstance(data, dict) and isinstance(data.get("readings"), list) and len(data) == 1:
        data = data["readings"]
    if not isinstance(data, list):
        raise BatchInvalid("parse_error", _('Send a JSON list of rows (or {"readings": [rows]}).'))
    return data


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object as the strict reader builds it, the common case (no repeated key) first."""
    built = dict(pairs)
    return built if len(built) == len(pairs) else strict_json_object(pairs)


def _csv_rows(text: str) -> list[Any]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return []
    except csv.Error as error:
        raise BatchInvalid(
            "parse_error", _("The CSV text is malformed: {problem}.").format(problem=error)
        ) from None
    names = [name.strip().lower() for name in header]
    rows: list[Any] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, a trailing newline
            if len(cells) != len(names):
                rows.append(_CsvWidth(len(cells), len(names)))
            else:
                rows.append(dict(zip(names, cells, strict=True)))
    except csv.Error as error:
        raise BatchInvalid(
            "parse_error",
            _("The CSV text is malformed at line {line}: {problem}.").format(
                line=reader.line_num, problem=error
            ),
        ) from None
    return rows


@dataclass(frozen=True)
class _CsvWidth:
    cells: int
    expected: int


class RowChecker:
    """Checks rows against one meter: its kind and unit, and "now"."""

    def __init__(self, meter_unit: str, cumulative: bool, now: datetime, batch_unit: str = ""):
        self.meter_unit = meter_unit
        self.cumulative = cumulative
        self.latest = now + CLOCK_SKEW
        self.fields = REGISTER_FIELDS if cumulative else INTERVAL_FIELDS
        self._allowed = frozenset(self.fields)
        self._factors: dict[str, Decimal | RowError] = {}
        self.batch_unit = batch_unit

    def check(self, raw_rows: Sequence[Any]) -> Parsed:
        rows: list[Row] = []
        points: list[Point] = []
        errors: dict[int, list[RowError]] = {}
        fast = self._fast_interval if not self.cumulative and not self.batch_unit else None
        for index, raw in enumerate(raw_rows):
            row = fast(index, raw) if fast is not None else None
            if row is not None:
                rows.append(row)
                continue
            found = list(self._problems_of_shape(index, raw))
            if not found:
                checked, found = self._row(index, raw)
                if isinstance(checked, Point):
                    points.append(checked)
                elif checked is not None:
                    rows.append(checked)
            if found:
                errors[index] = found
        return Parsed(rows, points, errors)

    def _fast_interval(self, index: int, raw: Any) -> Row | None:
        """The row as a meter usually sends it (aware timestamps, a number in the meter's
        unit), checked in one go; None sends it down the full path, which names what is
        wrong. Both paths accept exactly the same rows (tests/emissions/test_ingest_readings)."""
        if type(raw) is not dict or not raw.keys() <= self._allowed:
            return None
        start, end, value = raw.get("start"), raw.get("end"), raw.get("value")
        estimated = raw.get("estimated", False)
        if type(start) is not str or type(end) is not str or type(estimated) is not bool:
            return None
        if "unit" in raw and raw["unit"] != self.meter_unit:
            return None
        try:
            start_at, end_at = _from_iso(start), _from_iso(end)
        except ValueError:
            return None
        if start_at.tzinfo is None or end_at.tzinfo is None:
            return None
        # On one zone object (UTC), times compare, hash and split into months several times
        # faster than with an offset object per timestamp.
        start_at, end_at = start_at.astimezone(UTC), end_at.astimezone(UTC)
        plain = type(value) is str and _STORABLE_TEXT.fullmatch(value)
        number = Decimal(cast(str, value)) if plain else _plain_number(value)
        if number is None or not start_at < end_at <= self.latest:
            return None
        return Row(index, Interval.checked(start_at, end_at, number, estimated), (start, end))

    def _problems_of_shape(self, index: int, raw: Any) -> Iterator[RowError]:
        if isinstance(raw, _CsvWidth):
            yield RowError(
                f"/{index}",
                "row_width",
                _("this CSV line has {cells} cells; the header has {expected}").format(
                    cells=raw.cells, expected=raw.expected
                ),
            )
            return
        if not isinstance(raw, Mapping):
            yield RowError(f"/{index}", "not_an_object", _("a row is an object of fields"))
            return
        duplicates = getattr(raw, "duplicates", ())
        for key in duplicates:
            yield RowError(f"/{index}/{key}", "duplicate_key", _("this field is given twice"))
        for key in raw:
            if key not in self.fields:
                yield RowError(
                    f"/{index}/{key}",
                    "unknown_field",
                    _("unknown field; a row of this meter has {fields}").format(
                        fields=", ".join(self.fields)
                    ),
                )

    def _row(self, index: int, raw: Mapping[str, Any]) -> tuple[Row | Point | None, list[RowError]]:
        errors: list[RowError] = []
        factor = self._factor(index, raw.get("unit"), errors)
        estimated = _flag(index, raw.get("estimated"), errors)
        if self.cumulative:
            at = self._moment(index, raw, "timestamp", errors)
            reading = _quantity(index, raw, "reading", errors)
            if errors or at is None or reading is None or factor is None:
                return None, errors
            value = self._converted(index, "reading", reading, factor, errors)
            if value is None:
                return None, errors
            return Point(index, RegisterReading(at, value), estimated), errors
        start = self._moment(index, raw, "start", errors)
        end = self._moment(index, raw, "end", errors)
        quantity = _quantity(index, raw, "value", errors)
        if start is not None and end is not None and end <= start:
            errors.append(
                RowError(
                    f"/{index}/end", "end_not_after_start", _("the end must be after the start")
                )
            )
        if errors or start is None or end is None or quantity is None or factor is None:
            return None, errors
        value = self._converted(index, "value", quantity, factor, errors)
        if value is None:
            return None, errors
        return Row(index, Interval(start, end, value, estimated)), errors

    def _moment(
        self, index: int, raw: Mapping[str, Any], key: str, errors: list[RowError]
    ) -> datetime | None:
        text = raw.get(key)
        if text is None or text == "":
            errors.append(RowError(f"/{index}/{key}", "required", _("this field is required")))
            return None
        moment = parse_moment(text)
        if moment is None:
            errors.append(
                RowError(
                    f"/{index}/{key}",
                    "invalid_timestamp",
                    _("not an ISO 8601 timestamp such as 2025-01-01T00:15:00+08:00"),
                )
            )
            return None
        if moment > self.latest:
            errors.append(
                RowError(
                    f"/{index}/{key}",
                    "future",
                    _("this moment is in the future; only past readings are taken"),
                )
            )
            return None
        return moment

    def _factor(self, index: int, unit: Any, errors: list[RowError]) -> Decimal | None:
        given = unit if unit not in (None, "") else self.batch_unit
        if not given:
            return Decimal(1)
        if not isinstance(given, str):
            errors.append(RowError(f"/{index}/unit", "invalid_unit", _("a unit is text")))
            return None
        found = self._factors.get(given)
        if found is None:
            found = self._factors[given] = self._lookup_factor(given)
        if isinstance(found, RowError):
            errors.append(RowError(f"/{index}/unit", found.code, found.message))
            return None
        return found

    def _lookup_factor(self, unit: str) -> Decimal | RowError:
        try:
            return conversion_factor(canonical_unit(unit), self.meter_unit)
        except UnknownUnit:
            return RowError("", "unknown_unit", _("unknown unit {unit}").format(unit=repr(unit)))
        except IncompatibleUnit:
            return RowError(
                "",
                "incompatible_unit",
                _("{unit} cannot be converted to the meter's unit {meter_unit}").format(
                    unit=repr(unit), meter_unit=self.meter_unit
                ),
            )

    def _converted(
        self, index: int, key: str, quantity: Decimal, factor: Decimal, errors: list[RowError]
    ) -> Decimal | None:
        if factor == 1:
            value = quantity
        else:
            with localcontext() as context:
                context.prec = 80  # the product exactly: never rounded to 28 digits
                value = quantity * factor
        if not fits_storage(value):
            errors.append(
                RowError(
                    f"/{index}/{key}",
                    "inexact_conversion",
                    _(
                        "in the meter's unit {unit} this value needs more digits than are stored "
                        "exactly; send it in {unit}"
                    ).format(unit=self.meter_unit),
                )
            )
            return None
        return value


def parse_moment(text: Any, zone: tzinfo = LOCAL_ZONE) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime in UTC; naive ones are read in `zone`."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


_MAX_INTEGER = Decimal(10) ** DECIMAL_INTEGER_DIGITS


def fits_storage(value: Decimal) -> bool:
    """Whether `value` is stored exactly: 18 digits before the point, 12 after."""
    exponent = value.as_tuple().exponent
    return (
        isinstance(exponent, int)
        and -exponent <= DECIMAL_FRACTION_DIGITS
        and value.copy_abs() < _MAX_INTEGER  # abs() would round to the context's 28 digits
    )


def _quantity(
    index: int, raw: Mapping[str, Any], key: str, errors: list[RowError]
) -> Decimal | None:
    given = raw.get(key)
    path = f"/{index}/{key}"
    if given is None or given == "":
        errors.append(RowError(path, "required", _("this field is required")))
        return None
    number = _number(given)
    if number is None:
        errors.append(
            RowError(
                path,
                "invalid_number",
                _('not a number; give a JSON number or a decimal string such as "12.5"'),
            )
        )
        return None
    if number < 0:
        errors.append(RowError(path, "negative", _("a reading is never below 0")))
        return None
    if not fits_storage(number):
        errors.append(
            RowError(
                path,
                "too_many_digits",
                _("at most {integer} digits before the decimal point and {fraction} after").format(
                    integer=DECIMAL_INTEGER_DIGITS, fraction=DECIMAL_FRACTION_DIGITS
                ),
            )
        )
        return None
    return number


_from_iso = datetime.fromisoformat
_STORABLE_TEXT = re.compile(
    f"[0-9]{{1,{DECIMAL_INTEGER_DIGITS}}}(\\.[0-9]{{1,{DECIMAL_FRACTION_DIGITS}}})?"
)


def _plain_number(given: Any) -> Decimal | None:
    """A non-negative number that fits storage, from the common spellings only; None for
    anything else (the full path then says what is wrong)."""
    kind = type(given)
    if kind is Decimal:
        return given if given >= 0 and fits_storage(given) else None
    if kind is int:
        return Decimal(given) if 0 <= given < _MAX_INTEGER else None
    if kind is str and _STORABLE_TEXT.fullmatch(given):
        return Decimal(given)
    return None


def _number(given: Any) -> Decimal | None:
    if isinstance(given, bool):
        return None
    if isinstance(given, int | Decimal):
        number = Decimal(given)
    elif isinstance(given, str) and _DECIMAL_TEXT.fullmatch(given.strip()):
        number = Decimal(given.strip())
    else:
        return None
    return number if number.is_finite() else None


def _flag(index: int, given: Any, errors: list[RowError]) -> bool:
    if given is None or isinstance(given, bool):
        return bool(given)
    if isinstance(given, str) and given.strip().lower() in _TRUE | _FALSE:
        return given.strip().lower() in _TRUE
    errors.append(RowError(f"/{index}/estimated", "invalid_flag", _("true or false")))
    return False


def parse_range(start: str | None, end: str | None) -> tuple[datetime, datetime]:
    """The ?start=&end= of a readings range (both required), as aware datetimes."""
    errors = []
    moments = {}
    for name, text in (("start", start), ("end", end)):
        if not text:
            errors.append(FieldError(name, _("this query parameter is required")))
            continue
        moment = parse_moment(text)
        if moment is None:
            errors.append(FieldError(name, _("not an ISO 8601 timestamp")))
        moments[name] = moment
    if not errors and moments["end"] <= moments["start"]:  # type: ignore[operator]
        errors.append(FieldError("end", _("the end must be after the start")))
    if errors:
        raise ValidationFailed(_("Give the range as ?start=…&end=…"), errors)
    return moments["start"], moments["end"]  # type: ignore[return-value]
