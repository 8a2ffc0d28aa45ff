"""Values the strategies build dossiers from: Unicode texts within the storage lengths, and
numbers in every form a dossier may give them (JSON numbers as `Decimal` or `int`, decimal
strings with leading or trailing zeros, exponents), within the storage digits."""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from hypothesis import strategies as st

from emissions.limits import DECIMAL_FRACTION_DIGITS, DECIMAL_INTEGER_DIGITS, TEXT_MAX_LENGTH

Draw = st.DrawFn
Document = dict[str, Any]
WIDE = Context(prec=200)  # exact for every sum and difference of storable numbers

# --- Texts -----------------------------------------------------------------------------------

# What no stored text may hold (emissions/dossier/document.py): C0 controls other than tab,
# line feed and carriage return, DEL; unpaired surrogates are excluded by category Cs.
CONTROL = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"] + ["\x7f"]
# Characters that change under NFKC, case folding or white-space removal, or that render as
# nothing: the canonical-identity rules and the database must cope with all of them.
SPECIAL_CHARACTERS = (
    "\u200b\ufeff\u3000\u00a0\u2028\u2029\u200d\u034f\ufe0f\t\n\r "
    "中国绿证（）()［］【】ＧＥＣｇｅｃ１２３ＡＢＣ－—·、。，‘’“”"
    "\u0301\u00b2\u2460\uff10\u0130\u00df\ufb01\U0001f600\U00020000\uffff\ufffd"
)
CHARACTERS = st.one_of(
    st.characters(exclude_categories=["Cs"], exclude_characters=CONTROL),
    st.sampled_from(SPECIAL_CHARACTERS),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK unified ideographs
)


def texts(min_size: int = 0, max_size: int = TEXT_MAX_LENGTH) -> st.SearchStrategy[str]:
    """Any Unicode text the reader accepts, sometimes exactly at the length limit."""
    return st.one_of(
        st.text(CHARACTERS, min_size=min_size, max_size=min(max_size, 24)),
        st.text(CHARACTERS, min_size=min_size, max_size=max_size),
        st.text(CHARACTERS, min_size=max_size, max_size=max_size),
    )


def maybe(entry: Document, key: str, strategy: st.SearchStrategy[Any], draw: Draw) -> None:
    """Set `entry[key]` or leave the key out, half the time each."""
    if draw(st.booleans()):
        entry[key] = draw(strategy)


# --- Numbers ---------------------------------------------------------------------------------

LARGEST = Decimal("9" * DECIMAL_INTEGER_DIGITS + "." + "9" * DECIMAL_FRACTION_DIGITS)
SMALLEST = Decimal("1E-12")
SPECIAL_DECIMALS = (
    Decimal(0),
    Decimal("0.0"),
    Decimal("-0"),
    Decimal("0E-12"),
    SMALLEST,
    Decimal("0.000000000001"),
    Decimal("1E+17"),
    Decimal("9" * DECIMAL_INTEGER_DIGITS),
    LARGEST,
)


@st.composite
def decimal_values(
    draw: Draw,
    integer_digits: int = DECIMAL_INTEGER_DIGITS,
    fraction_digits: int = DECIMAL_FRACTION_DIGITS,
) -> Decimal:
    """A non-negative decimal with at most the given digits before and after the point."""
    if integer_digits == DECIMAL_INTEGER_DIGITS and draw(st.integers(0, 9)) == 0:
        return Decimal(draw(st.sampled_from(SPECIAL_DECIMALS)))
    scale = draw(st.integers(0, fraction_digits))
    unscaled = draw(st.integers(0, 10 ** (integer_digits + scale) - 1))
    return Decimal(f"{unscaled}E-{scale}")  # exact: no context rounds a constructed Decimal


def plain(value: Decimal) -> str:
    return format(value, "f")


@st.composite
def number_forms(draw: Draw, value: Decimal) -> object:
    """`value` as the JSON number or decimal string a dossier may give for it."""
    text = plain(value.copy_abs())  # abs() would round to the context's 28 digits
    forms: list[object] = [value, text]
    forms.append("00" + text)  # leading zeros: the digit limits count the value
    forms.append(text + ("0" if "." in text else ".000"))
    forms.append(value.normalize(WIDE))  # 8E+3, as the parser reads 8e3
    if value == value.to_integral_value():
        forms.append(int(value))
    return draw(st.sampled_from(forms))


def quantities() -> st.SearchStrategy[object]:
    return decimal_values().flatmap(number_forms)


@st.composite
def year_forms(draw: Draw, year: int) -> object:
    """A year as a JSON integer, or as the Decimal a parser gives for 2023.0 or 2.023e3."""
    forms = [year, Decimal(year), Decimal(f"{year}.0"), Decimal(year).normalize(WIDE)]
    return draw(st.sampled_from(forms))


@st.composite
def whole_number_forms(draw: Draw, size: int) -> object:
    forms = [size, Decimal(size), str(size), f"{size}.0", Decimal(f"{size}.000")]
    return draw(st.sampled_from(forms))
