"""Charts as SVG text, drawn on the server for the pages and the PDF reports alike.

Every function takes exact values and labels the caller already translated (the kernel speaks
no language), and returns one self-contained `<svg>` element: no scripts, no CSS classes
(presentation attributes only, so a PDF renderer draws it as the page does), a fixed viewBox
that scales to its container (`width="100%"`), `role="img"` with a `<title>`. Numbers shown as
text keep their digits (thousands grouped); only coordinates are rounded, to 0.01 of a unit.
An empty chart says so (`empty`) instead of drawing zeros nobody measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

FONT = "Noto Sans CJK SC, sans-serif"
INK = "#1f2933"
MUTED = "#7b8794"
GRID = "#d9e2ec"
LINE = "#2f7d4f"
# Distinguishable in print and for the common colour-vision deficiencies (Okabe–Ito).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
WIDTH = 480  # viewBox units; drawn at most this many pixels wide, less on a phone
_HUNDREDTH = Decimal("0.01")
_PAD = Decimal(2)
_ZERO = Decimal(0)


@dataclass(frozen=True)
class Bar:
    """One labelled value; None is shown as `—` (no value), not as zero."""

    label: str
    value: Decimal | None


@dataclass(frozen=True)
class Series:
    """A row of values (12 months), with its unit, drawn as small bars on its own scale."""

    label: str
    unit: str
    values: Sequence[Decimal | None]


def coord(value: Decimal | int) -> str:
    """A coordinate rounded half-up to 0.01 of a viewBox unit, without an exponent."""
    rounded = Decimal(value).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    return format(rounded.normalize() if rounded else _ZERO, "f")


def number(value: Decimal | None) -> str:
    """An exact value with its digits and thousands grouped (`—` for none)."""
    if value is None:
        return "—"
    return format(value, ",f")


def text(value: str) -> str:
    """`value` escaped for SVG text and attribute values."""
    return escape(value, quote=True)


def svg(body: str, *, width: int, height: int, label: str) -> str:
    """The root element around `body`, titled `label`, scaling to its container's width."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%"'
        f' preserveAspectRatio="xMidYMid meet" role="img" aria-label="{text(label)}"'
        f' font-family="{FONT}" style="max-width:{width}px;height:auto">'
        f"<title>{text(label)}</title>{body}</svg>"
    )


def _text(x: Decimal | int, y: Decimal | int, content: str, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{text(v)}"' for name, v in attributes.items())
    return f'<text x="{coord(x)}" y="{coord(y)}"{extra}>{text(content)}</text>'


def _rect(x: Decimal | int, y: Decimal | int, w: Decimal | int, h: Decimal | int, fill: str) -> str:
    return (
        f'<rect x="{coord(x)}" y="{coord(y)}" width="{coord(w)}" height="{coord(h)}"'
        f' fill="{fill}"/>'
    )


def no_data(*, width: int, height: int, label: str, message: str) -> str:
    """A chart without data: its frame and `message` in the middle, so nobody reads zero."""
    body = (
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="none"'
        f' stroke="{MUTED}" stroke-dasharray="4 3"/>'
        + _text(
            Decimal(width) / 2,
            Decimal(height) / 2,
            message,
            text_anchor="middle",
            dominant_baseline="middle",
            font_size=str(min(14, max(height // 3, 8))),
            fill=MUTED,
        )
    )
    return svg(body, width=width, height=height, label=label)


def _scale(values: Sequence[Decimal], low_px: Decimal, high_px: Decimal) -> list[Decimal]:
    """`values` mapped onto low_px..high_px (a flat series sits in the middle)."""
    low, high = min(values), max(values)
    if low == high:
        return [(low_px + high_px) / 2 for _ in values]
    return [low_px + (value - low) * (high_px - low_px) / (high - low) for value in values]


def sparkline(
    values: Sequence[Decimal | None],
    *,
    width: int = 120,
    height: int = 28,
    label: str = "",
    empty: str = "—",
) -> str:
    """A line through `values` (None leaves a gap), the last point marked; `empty` without data."""
    known = [value for value in values if value is not None]
    if not known:
        return no_data(width=width, height=height, label=label, message=empty)
    step = (Decimal(width) - 2 * _PAD) / max(len(values) - 1, 1)
    ys = iter(_scale(known, Decimal(height) - _PAD, _PAD))
    path: list[str] = []
    point = ""
    pen_down = False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        point = f"{coord(_PAD + step * index)} {coord(next(ys))}"
        # A segment starts with a zero-length stroke, so an isolated point still shows (round cap).
        path.append(f"L{point}" if pen_down else f"M{point}h0")
        pen_down = True
    x, y = point.split(" ")
    body = (
        f'<path d="{" ".join(path)}" fill="none" stroke="{LINE}" stroke-width="1.5"'
        f' stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{x}" cy="{y}" r="2" fill="{LINE}"/>'
    )
    return svg(body, width=width, height=height, label=label)


_VALUE_W = Decimal(140)
_ROW = 44


def bar_chart(bars: Sequence[Bar], *, label: str, unit: str, empty: str) -> str:
    """Horizontal bars on one scale from zero, each under its label (labels may be long: a
    phone has no room beside the bars) with its exact value and `unit` after it."""
    known = [bar.value for bar in bars if bar.value is not None]
    height = _ROW * len(bars) + 6
    if not known:
        return no_data(width=WIDTH, height=max(height, 60), label=label, message=empty)
    track = Decimal(WIDTH - 10) - _VALUE_W
    top = max(*known, _ZERO)
    parts = []
    for index, bar in enumerate(bars):
        y = Decimal(_ROW * index + 4)
        value = bar.value if bar.value is not None and bar.value > 0 else _ZERO
        length = track * value / top if top else _ZERO
        parts.append(_text(10, y + 13, bar.label, font_size="13", fill=INK))
        parts.append(_rect(10, y + 19, length, 18, PALETTE[index % len(PALETTE)]))
        shown = number(bar.value) if bar.value is None else f"{number(bar.value)} {unit}"
        parts.append(_text(10 + length + 6, y + 33, shown, font_size="13", fill=INK))
    return svg("".join(parts), width=WIDTH, height=height, label=label)


def _legend(bars: Sequence[Bar], unit: str, top: int) -> list[str]:
    parts = []
    for index, bar in enumerate(bars):
        y = top + 24 * index
        parts.append(_rect(10, y, 13, 13, PALETTE[index % len(PALETTE)]))
        shown = f"{bar.label}: {number(bar.value)} {unit}"
        parts.append(_text(30, y + 11, shown, font_size="13", fill=INK))
    return parts


def stacked_bar(
    segments: Sequence[Bar],
    *,
    label: str,
    unit: str,
    empty: str,
    reference: Bar | None = None,
) -> str:
    """Segments end to end on one bar; `reference` (E, say) draws a marked line at its value,
    the 100 % line. Legend rows under the bar carry each exact value."""
    known = [bar.value for bar in segments if bar.value is not None and bar.value > 0]
    scale_to = max(sum(known, _ZERO), reference.value if reference and reference.value else _ZERO)
    height = 76 + 24 * len(segments)
    if not scale_to:
        return no_data(width=WIDTH, height=max(height, 60), label=label, message=empty)
    track = Decimal(WIDTH - 20)
    parts = [_rect(10, 22, track, 26, GRID)]
    x = Decimal(10)
    for index, bar in enumerate(segments):
        if bar.value is not None and bar.value > 0:
            length = track * bar.value / scale_to
            parts.append(_rect(x, 22, length, 26, PALETTE[index % len(PALETTE)]))
            x += length
    if reference is not None and reference.value:
        at = Decimal(10) + track * reference.value / scale_to
        parts.append(
            f'<line x1="{coord(at)}" y1="16" x2="{coord(at)}" y2="56" stroke="{INK}"'
            f' stroke-width="2" stroke-dasharray="4 2"/>'
        )
        anchor = "end" if at > track / 2 else "start"
        reference_text = f"{reference.label}: {number(reference.value)} {unit}"
        parts.append(_text(at, 13, reference_text, text_anchor=anchor, font_size="12", fill=INK))
    parts += _legend(segments, unit, 66)
    return svg("".join(parts), width=WIDTH, height=height, label=label)


_SERIES_ROW = 64


def _series_row(series: Series, index: int, columns: Sequence[str]) -> list[str]:
    top = Decimal(_SERIES_ROW * index + 4)
    known = [value for value in series.values if value is not None and value > 0]
    peak = max(known, default=_ZERO)
    parts = [_text(10, top + 12, series.label, font_size="13", fill=INK)]
    if known:  # the scale of this row: its tallest bar
        peak_text = f"▲ {number(peak)} {series.unit}"
        parts.append(_text(WIDTH - 10, top + 12, peak_text, text_anchor="end", font_size="12"))
    step = Decimal(WIDTH - 20) / max(len(series.values), 1)
    base = top + 46
    colour = PALETTE[index % len(PALETTE)]
    for column, value in enumerate(series.values):
        x = Decimal(10) + step * column
        if value is not None and value > 0 and peak:
            bar = Decimal(28) * value / peak
            parts.append(_rect(x + 2, base - bar, step - 4, bar, colour))
        if column < len(columns):
            label = columns[column]
            parts.append(
                _text(x + step / 2, base + 12, label, text_anchor="middle", font_size="11")
            )
    parts.append(
        f'<line x1="10" y1="{coord(base)}" x2="{WIDTH - 10}" y2="{coord(base)}" stroke="{GRID}"/>'
    )
    return parts


def small_multiples(
    series: Sequence[Series], *, columns: Sequence[str], label: str, empty: str
) -> str:
    """One row of bars per series (each on its own scale: carriers have different units),
    `columns` under the bars (the month names)."""
    drawn = [row for row in series if any(value is not None for value in row.values)]
    if not drawn:
        return no_data(width=WIDTH, height=80, label=label, message=empty)
    parts: list[str] = []
    for index, row in enumerate(drawn):
        parts += _series_row(row, index, columns)
    return svg("".join(parts), width=WIDTH, height=_SERIES_ROW * len(drawn) + 6, label=label)
