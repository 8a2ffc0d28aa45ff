"""The dossier reader on generated input (no database): it accepts every valid variation, and
for anything else it answers `DossierInvalid` with paths and messages, never another
exception; what it accepts it writes back exactly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import event, given
from hypothesis import strategies as st

from emissions.dossier import (
    DossierInvalid,
    ReadDossier,
    document,
    document_to_json,
    parse_dossier_bytes,
    parse_dossier_text,
    read_dossier,
)
from emissions.dossier.document import check_document
from tests.properties.budget import budget
from tests.properties.checks import assert_errors_with_paths
from tests.properties.findings import (
    HUGE_FREE_NUMBER,
    QUANTITY_WITH_LINE_FEED,
    SURROGATE_KEY,
    SURROGATE_VALUE,
    run_first,
)
from tests.properties.hostile import BOM, encoded, hostile_dossiers, json_text, raw_bodies
from tests.properties.strategies import AS_OF, FACTORS, valid_dossiers

T = TypeVar("T", str, bytes)


def read(data: object) -> ReadDossier:
    return read_dossier(data, factors=FACTORS, as_of=AS_OF)


def read_or_refuse(data: object) -> ReadDossier | None:
    """The read dossier, or None when refused as the contract says (any other exception
    propagates and fails the property)."""
    try:
        return read(data)
    except DossierInvalid as invalid:
        assert_errors_with_paths(invalid.errors, data)
        return None


def parse_or_refuse(parse: Callable[[T], object], raw: T) -> object | None:
    try:
        return parse(raw)
    except DossierInvalid as invalid:
        assert_errors_with_paths(invalid.errors, raw)
        return None


def assert_written_back_exactly(accepted: ReadDossier) -> None:
    text = document_to_json(accepted.document)
    again = read(parse_dossier_text(text))
    assert again.document == accepted.document


@given(valid_dossiers())
@budget()
def test_every_valid_variation_is_accepted_and_written_back_exactly(data: Any) -> None:
    try:
        accepted = read(data)
    except DossierInvalid as invalid:
        raise AssertionError(f"a valid dossier was refused: {invalid}") from None
    assert_written_back_exactly(accepted)


@given(valid_dossiers(), st.booleans())
@budget(0.5)
def test_a_valid_dossier_reads_the_same_from_text_bytes_and_a_byte_order_mark(
    data: Any, ensure_ascii: bool
) -> None:
    text = json_text(data, ensure_ascii=ensure_ascii)
    parsed = parse_dossier_text(text)
    assert parsed == data
    assert parse_dossier_bytes(encoded(text)) == parsed
    assert parse_dossier_bytes(BOM + encoded(text)) == parsed
    assert read(parsed).document == read(data).document


@given(data=hostile_dossiers())
@run_first("data", QUANTITY_WITH_LINE_FEED, HUGE_FREE_NUMBER, SURROGATE_KEY, SURROGATE_VALUE)
@budget()
def test_a_hostile_dossier_is_refused_with_paths_or_read_and_written_back(data: Any) -> None:
    accepted = read_or_refuse(data)
    if accepted is not None:
        assert_written_back_exactly(accepted)


@given(raw_bodies())
@budget()
def test_any_bytes_are_refused_with_paths_or_parsed_and_read(raw: bytes) -> None:
    parsed = parse_or_refuse(parse_dossier_bytes, raw)
    if parsed is not None:
        accepted = read_or_refuse(parsed)
        if accepted is not None:
            assert_written_back_exactly(accepted)


@given(raw_bodies())
@budget(0.5)
def test_any_text_is_refused_with_paths_or_parsed(raw: bytes) -> None:
    # Undecodable bytes become lone surrogates: text no UTF-8 file can hold.
    parsed = parse_or_refuse(parse_dossier_text, raw.decode("utf-8", "surrogateescape"))
    if parsed is not None:
        read_or_refuse(parsed)


@given(data=st.one_of(valid_dossiers(), hostile_dossiers()))
@run_first("data", QUANTITY_WITH_LINE_FEED, HUGE_FREE_NUMBER, SURROGATE_KEY, SURROGATE_VALUE)
@budget(0.5)
def test_the_quick_document_walk_passes_only_what_the_full_walk_passes(data: Any) -> None:
    """`check_document` skips the walk that writes paths when `_sound` says there is
    nothing to report: that must be exactly when the full walk finds nothing."""
    full = document._breaches(data)
    sound = document._sound(data)
    event("sound" if sound else "breach or not plain")
    assert not (sound and full.errors)
    assert check_document(data) == full


def test_a_key_that_is_not_text_is_left_to_the_full_walk() -> None:
    """A parser never gives one; the quick walk passes nothing it cannot vouch for."""
    assert document._sound({"factory": {1: "a key that is not text"}}) is False
