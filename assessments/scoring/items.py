"""Points of items and indicators, exact (`Fraction`) until the total is rounded.

Rules (rubric.md section 3): bool = full points when true; level = points x level / L;
ratio and computed = points x clamp((v - lo) / (hi - lo), 0, 1); enum = points x the option's
fraction; footprint = points x share, x the unverified fraction unless third-party verified.
A missing answer scores 0 ("no evidence"); an undefined computed metric scores 0 with the
item's note ("no baseline"); a true `zero_if` flag scores 0; "na" leaves the item out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import cast

from assessments.scoring.answers import NA, Answers, AnswerValue, Footprint
from assessments.scoring.numbers import exact, exact_sum, plain, to_decimal
from assessments.scoring.results import IndicatorResult, ItemResult
from assessments.scoring.rubric import (
    AnyItem,
    BoolItem,
    ComputedItem,
    EnumItem,
    FootprintItem,
    Indicator,
    Item,
    LevelItem,
    Rubric,
    Text,
)
from assessments.scoring.texts import (
    NO_EVIDENCE,
    NO_VALUE,
    NOT_APPLICABLE,
    UNVERIFIED,
    ZERO_BY_FLAG,
)
from emissions.accounting.results import Metrics

_ZERO, _ONE = Fraction(0), Fraction(1)  # immutable: shared, not made again for each item


@dataclass(frozen=True)
class ScoredItem:
    result: ItemResult
    earned: Fraction | None  # exact points; None when not applicable


@dataclass(frozen=True)
class ScoredIndicator:
    result: IndicatorResult
    earned: Fraction | None  # exact, rescaled for "na" items; None when no item applies


def score_indicator(
    rubric: Rubric, indicator: Indicator, answers: Answers, metrics: Metrics
) -> ScoredIndicator:
    """Sum the item points; with "na" items, scale: earned x indicator max / applicable max.

    When every item is "na" the indicator itself is not applicable (points None); the total
    then rescales over the applicable indicators (see `engine.score`).
    """
    scored = [score_item(rubric, item, answers, metrics) for item in rubric.items_of(indicator.id)]
    applicable = [s for s in scored if s.earned is not None]
    applicable_max = exact_sum(exact(s.result.max_points) for s in applicable)
    earned: Fraction | None = None
    if applicable:
        earned_sum = exact_sum(cast(Fraction, s.earned) for s in applicable)
        earned = earned_sum * exact(indicator.max_points) / applicable_max
    result = IndicatorResult(
        id=indicator.id,
        points=None if earned is None else to_decimal(earned),
        max_points=indicator.max_points,
        applicable_max=to_decimal(applicable_max),
        items=tuple(s.result for s in scored),
        provenance=indicator.provenance,
    )
    return ScoredIndicator(result=result, earned=earned)


def score_item(rubric: Rubric, item: AnyItem, answers: Answers, metrics: Metrics) -> ScoredItem:
    if isinstance(item, ComputedItem):
        value: AnswerValue | None = getattr(metrics, item.metric)
        missing_note = item.none_note or NO_VALUE
    else:
        value = answers.items.get(item.id)
        missing_note = NO_EVIDENCE
    if value is None:
        return _scored(item, None, _ZERO, missing_note)
    if value is NA:
        return _scored(item, value, None, NOT_APPLICABLE)
    flag = rubric.flag(item.zero_if) if item.zero_if else None
    if flag is not None and answers.flag(flag.id):
        note = Text(
            zh=ZERO_BY_FLAG.zh.format(flag=flag.name.zh),
            en=ZERO_BY_FLAG.en.format(flag=flag.name.en),
        )
        return _scored(item, value, _ZERO, note)
    if isinstance(item, ComputedItem) or type(value) not in _REMEMBERED:
        return _points_of(item, value)
    return _answered(item, value)


def _points_of(item: AnyItem, value: AnswerValue) -> ScoredItem:
    """The points of a value that no flag zeroes: a function of the item and the value alone."""
    fraction, note_or_none = _fraction(item, value)
    return _scored(item, value, _times(exact(item.points), fraction), note_or_none)


# The answer types `parse_answers` gives, each written exactly by `_form`.
_REMEMBERED = frozenset({bool, int, str, Decimal, Footprint})
_ANSWERED: dict[tuple[int, type, object], tuple[AnyItem, ScoredItem]] = {}
_ANSWERED_LIMIT = 4096


def _answered(item: AnyItem, value: AnswerValue) -> ScoredItem:
    """`_points_of` an answer, remembered. An answer is one of a few values (yes or no, a
    level, an option), so in a batch most items are scored once; the frozen results are
    shared. Keyed by the item's identity (the entry holds the item, so its id is not reused
    while remembered) and the value's exact form: its type keeps True apart from 1, and a
    Decimal's text keeps 0.30 apart from 0.3, so the result holds the very value given."""
    key = (id(item), type(value), _form(value))
    known = _ANSWERED.get(key)
    if known is not None and known[0] is item:
        return known[1]
    scored = _points_of(item, value)
    if len(_ANSWERED) >= _ANSWERED_LIMIT:
        _ANSWERED.clear()
    _ANSWERED[key] = (item, scored)
    return scored


def _form(value: AnswerValue) -> object:
    if type(value) is Decimal:
        return str(value)
    if isinstance(value, Footprint):  # exactly a Footprint: `_REMEMBERED` is by type
        verified = value.third_party_verified
        return (type(value.share), str(value.share), type(verified), verified)
    return value


def _times(points: Fraction, fraction: Fraction) -> Fraction:
    """points x fraction; none made for the shares 0 and 1 (most answers earn all or none)."""
    if fraction is _ONE:
        return points
    if fraction is _ZERO:
        return _ZERO
    return points * fraction


def _scored(
    item: Item, value: AnswerValue | None, earned: Fraction | None, note: Text | None
) -> ScoredItem:
    result = ItemResult(
        id=item.id,
        kind=item.kind,
        points=None if earned is None else to_decimal(earned),
        max_points=item.points,
        value=value,
        note=note.en if note else None,
        note_zh=note.zh if note else None,
        provenance=item.provenance,
    )
    return ScoredItem(result=result, earned=earned)


def _fraction(item: AnyItem, value: AnswerValue) -> tuple[Fraction, Text | None]:
    """The share of the item's points earned. `value` has the kind's type: `parse_answers`
    typed it (a computed value is a `Metrics` Decimal), hence the casts."""
    match item:
        case BoolItem():
            return (_ONE if value is True else _ZERO), None
        case LevelItem():
            return Fraction(cast(int, value), item.levels), None
        case EnumItem():
            option = item.option(cast(str, value))
            return exact(option.fraction) if option else _ZERO, None
        case FootprintItem():
            return _footprint(item, cast(Footprint, value))
        case _:  # RatioItem | ComputedItem
            return _clamped(cast(Decimal, value), item.lo, item.hi), None


def _footprint(item: FootprintItem, answer: Footprint) -> tuple[Fraction, Text | None]:
    if answer.third_party_verified:
        return exact(answer.share), None
    factor = plain(item.unverified_fraction)
    note = UNVERIFIED.format(factor=factor)
    return exact(answer.share) * exact(item.unverified_fraction), note


def _clamped(value: Decimal, lo: Decimal, hi: Decimal) -> Fraction:
    """clamp((value - lo) / (hi - lo), 0, 1), exact. In integers: the three values as
    n/d, the share is (vn·ld − ln·vd)·hd / (vd·(hn·ld − ln·hd)), and only a share strictly
    between 0 and 1 becomes a `Fraction` (one made instead of six, and no comparison of
    fractions: a fifth of scoring)."""
    (vn, vd), (ln, ld), (hn, hd) = _ratio(value), _ratio(lo), _ratio(hi)
    numerator, denominator = (vn * ld - ln * vd) * hd, vd * (hn * ld - ln * hd)
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    elif denominator == 0:
        raise ZeroDivisionError(f"item range of zero width: lo {lo}, hi {hi}")
    if numerator <= 0:
        return _ZERO
    if numerator >= denominator:
        return _ONE
    return Fraction(numerator, denominator)


def _ratio(value: Decimal) -> tuple[int, int]:
    """The exact value of a finite Decimal as (numerator, denominator), from `exact`'s cache."""
    fraction = exact(value)
    return fraction.numerator, fraction.denominator


def indicator_total(indicators: Sequence[ScoredIndicator], total_points: Decimal) -> Fraction:
    """Exact total: applicable indicator points x rubric total / applicable indicator maxima.

    Without "na" indicators the factor is 1 (the maxima add up to the total, checked when the
    rubric is read). The rubric guarantees at least one applicable item, so the divisor is > 0.
    """
    applicable = [i for i in indicators if i.earned is not None]
    earned = exact_sum(cast(Fraction, i.earned) for i in applicable)
    maximum = exact_sum(exact(i.result.max_points) for i in applicable)
    return earned * exact(total_points) / maximum
