"""Forms of the gates, answers and evidence pages (issue 9).

They carry text and check nothing of the rubric themselves: an answer goes to the service as
the dossier's JSON value (a whole number for a level, a decimal for a share; a typo stays
text) and the dossier reader judges it, so that the page refuses what a dossier file
refuses, with the same message (one validation path). Each input's id is the anchor of its
document path (`/answers/INF-1` is `f-answers-INF-1`), so an error can link to its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from assessments.models import Answer
from assessments.scoring.answers import NA_ANSWER
from assessments.scoring.rubric import (
    AnyItem,
    BoolItem,
    ComputedItem,
    DeclaredGate,
    EnumItem,
    Flag,
    FootprintItem,
    Indicator,
    LevelItem,
    Rubric,
)
from assessments.scoring.rubric_checks import pointer_segment
from emissions.models import EvidenceDocument
from emissions.models.inventory import EVIDENCE_EXTENSIONS
from zerocarbon.error_views import describe_bytes
from zerocarbon.errors import FieldError
from zerocarbon.templatetags import anchor, bi

_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?([0-9]{1,40}(\.[0-9]{0,40})?|\.[0-9]{1,40})")
_BOOLEANS = {"true": True, "false": False}
NO_ANSWER = ("", _("— no answer"))
NOT_APPLICABLE = (NA_ANSWER, _("not applicable"))
YES_NO = (("true", _("yes")), ("false", _("no")))
EVIDENCE_KINDS = (
    ("rubric", _("Rubric evidence")),
    ("bill", _("Energy bill or meter reading")),
    ("certificate", _("Green-electricity certificate or contract")),
    ("retirement", _("Credit retirement proof")),
    ("declaration", _("Declaration (gates)")),
    ("other", _("Other")),
)
REFERENCE_MAX_CHARS = EvidenceDocument._meta.get_field("reference").max_length or 200


def answer_path(item_id: str, key: str = "") -> str:
    path = f"/answers/{pointer_segment(item_id)}"
    return f"{path}/{key}" if key else path


def _attrs(path: str, **more: str) -> dict[str, str]:
    return {"id": anchor(path), **more}


def _text(value: object) -> str:
    """A stored JSON value as the form shows it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value)


def _typed(item: AnyItem | Flag, text: str) -> object | None:
    """The form's text as the dossier's JSON value; None for no answer."""
    text = text.strip()
    if not text or text == NA_ANSWER:
        return text or None
    if isinstance(item, Flag | BoolItem):
        return _BOOLEANS.get(text, text)
    if isinstance(item, LevelItem):
        return int(text) if _INTEGER.fullmatch(text) else text
    if isinstance(item, EnumItem):
        return text
    return _number(text)


def _number(text: str) -> object:
    """A decimal as a Decimal (a JSON number); a typo stays text for the reader to name."""
    text = text.strip()
    return Decimal(text) if _DECIMAL.fullmatch(text) else text


class EvidenceField(forms.MultipleChoiceField):
    """Evidence file ids; whether they are the inventory's is the service's check."""

    def valid_value(self, value: str) -> bool:
        return str(value).isdigit() and len(str(value)) <= 18


@dataclass
class ItemRow:
    """One rubric item on the page: its inputs (none when computed) and its evidence."""

    item: AnyItem
    path: str
    inputs: list[BoundField] = field(default_factory=list)
    note: BoundField | None = None
    evidence: BoundField | None = None
    upload: BoundField | None = None
    flags: list[BoundField] = field(default_factory=list)
    attached: list[EvidenceDocument] = field(default_factory=list)
    shown: str = ""
    note_text: str = ""

    @property
    def computed(self) -> bool:
        return isinstance(self.item, ComputedItem)

    @property
    def platform(self) -> bool:
        return self.item.provenance == "platform"

    @property
    def errors(self) -> list[Any]:
        found = [e for bound in (*self.inputs, *self.flags) for e in bound.errors]
        for bound in (self.note, self.evidence, self.upload):
            found += list(bound.errors) if bound is not None else []
        return found


@dataclass
class IndicatorGroup:
    indicator: Indicator
    rows: list[ItemRow]


class AnswersForm(forms.Form):
    """Every answerable item's value (one input, two for PRD-2), note, evidence links and a
    new evidence file; flags (INF-3's obsolete_equipment_present) go with their item."""

    def __init__(
        self,
        rubric: Rubric,
        stored: Mapping[str, Answer],
        evidence: Sequence[EvidenceDocument],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rubric, self.stored = rubric, stored
        choices = [(str(doc.pk), doc.reference) for doc in evidence]
        self._documents = {doc.pk: doc for doc in evidence}
        for item in rubric.items:
            if not isinstance(item, ComputedItem):
                self._add_item(item, stored.get(item.id), choices)
        for flag in rubric.flags:
            self._add_flag(flag, stored.get(flag.id))

    def _add_item(self, item: AnyItem, answer: Answer | None, choices: list[Any]) -> None:
        path, value = answer_path(item.id), answer.value if answer else None
        if isinstance(item, FootprintItem):
            shares = value if isinstance(value, Mapping) else {}
            self.fields[item.id + ".share"] = forms.CharField(
                required=False,
                initial=_text(shares.get("share")),
                label=_("Share of main products with a footprint (0–1)"),
                widget=forms.TextInput(attrs=_attrs(f"{path}/share", inputmode="decimal")),
            )
            self.fields[item.id + ".third_party_verified"] = forms.BooleanField(
                required=False,
                initial=shares.get("third_party_verified") is True,
                label=_("verified by a third party"),
                widget=forms.CheckboxInput(attrs=_attrs(f"{path}/third_party_verified")),
            )
        else:
            self.fields[item.id] = forms.CharField(
                required=False, initial=_text(value), label=_("Answer"), widget=_widget(item)
            )
        self.fields[item.id + ".note"] = forms.CharField(
            required=False,
            initial=answer.note if answer else "",
            label=_("Note"),
            widget=forms.Textarea(attrs=_attrs(f"{path}/note", rows="2", maxlength="2000")),
        )
        linked = [str(doc.pk) for doc in answer.evidence.all()] if answer else []
        self.fields[item.id + ".evidence"] = EvidenceField(
            required=False,
            initial=linked,
            choices=choices,
            label=_("Evidence files"),
            widget=forms.CheckboxSelectMultiple(attrs=_attrs(f"{path}/evidence")),
        )
        self.fields[item.id + ".upload"] = forms.FileField(
            required=False,
            label=_("Attach a new file"),
            widget=forms.ClearableFileInput(attrs=_attrs(f"{path}/upload")),
        )

    def _add_flag(self, flag: Flag, answer: Answer | None) -> None:
        self.fields[flag.id] = forms.CharField(
            required=False,
            initial=_text(answer.value if answer else None),
            label=bi(flag.name),
            widget=forms.Select(choices=[NO_ANSWER, *YES_NO], attrs=_attrs(answer_path(flag.id))),
        )

    # What the service takes

    def answers(self) -> dict[str, object]:
        """The answers as the dossier's JSON values (call after is_valid)."""
        data = self.cleaned_data
        found: dict[str, object] = {}
        for item in self._answerable():
            if isinstance(item, FootprintItem):
                value = _footprint(data.get(item.id + ".share", ""), data, item.id)
            else:
                value = _typed(item, data.get(item.id, ""))
            if value is not None:
                found[item.id] = value
        for flag in self.rubric.flags:
            flag_value = _typed(flag, data.get(flag.id, ""))
            if flag_value is not None:
                found[flag.id] = flag_value
        return found

    def notes(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            item.id: data.get(item.id + ".note", "").strip()
            for item in self._answerable()
            if data.get(item.id + ".note", "").strip()
        }

    def evidence(self) -> dict[str, list[int]]:
        data = self.cleaned_data
        return {
            item.id: [int(pk) for pk in data.get(item.id + ".evidence", [])]
            for item in self._answerable()
            if data.get(item.id + ".evidence")
        }

    def uploads(self) -> dict[str, UploadedFile]:
        data = self.cleaned_data
        return {
            item.id: data[item.id + ".upload"]
            for item in self._answerable()
            if data.get(item.id + ".upload")
        }

    def _answerable(self) -> Iterable[AnyItem]:
        return (item for item in self.rubric.items if not isinstance(item, ComputedItem))

    # Errors of the service, at their fields

    def add_service_errors(self, errors: Sequence[FieldError]) -> list[FieldError]:
        """Each error at its field; returns those of no field (elsewhere in the dossier)."""
        elsewhere = []
        for error in errors:
            name = self._field_at(error.path)
            if name is None:
                elsewhere.append(error)
            else:
                self.add_error(name, error.message)
        return elsewhere

    def _field_at(self, path: str) -> str | None:
        """The field of a document path: its own input, else the first input of the item the
        path is in (`/answers/PRD-2` is at its share), else none (the form's top)."""
        wanted = anchor(path)
        ids = {name: str(self.fields[name].widget.attrs.get("id", "")) for name in self.fields}
        exact = [name for name, own in ids.items() if own == wanted]
        around = [
            name
            for name, own in ids.items()
            if own.startswith(wanted + "-") or wanted.startswith(own + "-")
        ]
        found = exact or around
        return found[0] if found else None

    # What the page shows

    def groups(self) -> list[IndicatorGroup]:
        return [
            IndicatorGroup(
                indicator, [self._row(item) for item in self.rubric.items_of(indicator.id)]
            )
            for indicator in self.rubric.indicators
        ]

    def other_flags(self) -> list[BoundField]:
        """Flags no item names in `zero_if` (none in the shipped edition): shown on their own."""
        named = {item.zero_if for item in self.rubric.items}
        return [self[flag.id] for flag in self.rubric.flags if flag.id not in named]

    def _row(self, item: AnyItem) -> ItemRow:
        row = ItemRow(item=item, path=answer_path(item.id))
        if isinstance(item, ComputedItem):
            return row
        names = [item.id + ".share", item.id + ".third_party_verified"]
        row.inputs = [
            self[name] for name in (names if isinstance(item, FootprintItem) else [item.id])
        ]
        row.note, row.evidence = self[item.id + ".note"], self[item.id + ".evidence"]
        row.upload = self[item.id + ".upload"]
        row.flags = [self[item.zero_if]] if item.zero_if and item.zero_if in self.fields else []
        answer = self.stored.get(item.id)
        if answer is not None:
            row.attached = list(answer.evidence.all())
            row.note_text = answer.note
            row.shown = shown_answer(item, answer.value)
        return row


def upload_help() -> str:
    message = _(
        "A file attached to an answer is stored as the inventory's evidence, its name as its"
        " reference: {types}, at most {limit} together in one save."
    )
    limit = describe_bytes(int(settings.EVIDENCE_MAX_BYTES))
    return message.format(types=", ".join(EVIDENCE_EXTENSIONS), limit=limit)


def _footprint(share: str, data: Mapping[str, Any], item_id: str) -> object | None:
    verified = bool(data.get(item_id + ".third_party_verified"))
    if not share.strip() and not verified:
        return None
    value: dict[str, object] = {"third_party_verified": verified}
    if share.strip():
        value = {"share": _number(share), **value}
    return value


def _widget(item: AnyItem) -> forms.Widget:
    path = answer_path(item.id)
    na = [NOT_APPLICABLE] if item.na_allowed else []
    if isinstance(item, BoolItem):
        return forms.Select(choices=[NO_ANSWER, *YES_NO, *na], attrs=_attrs(path))
    if isinstance(item, LevelItem):
        levels = [(str(level), str(level)) for level in range(item.levels + 1)]
        return forms.Select(choices=[NO_ANSWER, *levels, *na], attrs=_attrs(path))
    if isinstance(item, EnumItem):
        options = [(option.value, bi(option.name)) for option in item.options]
        return forms.Select(choices=[NO_ANSWER, *options, *na], attrs=_attrs(path))
    return forms.TextInput(attrs=_attrs(path, inputmode="decimal", placeholder="0–1"))


def shown_answer(item: AnyItem, value: object) -> str:
    """A stored answer in words, for a page that only reads."""
    if value == NA_ANSWER:
        return str(NOT_APPLICABLE[1])
    if isinstance(value, bool):
        return str(YES_NO[0][1] if value else YES_NO[1][1])
    if isinstance(item, EnumItem) and isinstance(value, str):
        option = item.option(value)
        return bi(option.name) if option is not None else value
    if isinstance(value, Mapping):
        verified = value.get("third_party_verified") is True
        label = _("verified by a third party") if verified else _("not verified")
        return f"{_text(value.get('share'))} · {label}"
    return _text(value)


class GatesForm(forms.Form):
    """A checkbox per declared gate (G1, G2); the computed gates are only shown."""

    def __init__(self, rubric: Rubric, declared: Mapping[str, object], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for gate in rubric.gates:
            if isinstance(gate, DeclaredGate):
                self.fields[gate.id] = forms.BooleanField(
                    required=False,
                    initial=declared.get(gate.id) is True,
                    label=bi(gate.name),
                    widget=forms.CheckboxInput(attrs=_attrs(f"/gates/{gate.id}")),
                )

    def gates(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in self.fields}

    def add_service_errors(self, errors: Sequence[FieldError]) -> list[FieldError]:
        """Each error at its gate's checkbox; returns those of no gate."""
        elsewhere = []
        for error in errors:
            name = error.path.removeprefix("/gates/")
            if name in self.fields:
                self.add_error(name, error.message)
            else:
                elsewhere.append(error)
        return elsewhere

    def rows(self) -> list[tuple[Any, BoundField | None]]:
        """Every gate of the rubric with its checkbox (None: computed by the platform)."""
        return [
            (gate, self[gate.id] if gate.id in self.fields else None) for gate in self.rubric.gates
        ]


class EvidenceUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=EVIDENCE_KINDS, label=_("Kind"), initial="rubric")
    reference = forms.CharField(
        required=False,
        max_length=REFERENCE_MAX_CHARS,
        label=_("Reference"),
        help_text=_("the evidence_ref that claims use; the file's name when left empty"),
    )
    file = forms.FileField(label=_("File"))

    def reference_or_name(self) -> str:
        reference: str = self.cleaned_data.get("reference", "").strip()
        upload = self.cleaned_data.get("file")
        return reference or (upload.name if upload is not None and upload.name else "")

    def add_service_errors(self, errors: Sequence[FieldError]) -> list[FieldError]:
        """Each error at its field (file, kind, reference); returns the others."""
        for error in errors:
            if error.path in self.fields:
                self.add_error(error.path, error.message)
        return [error for error in errors if error.path not in self.fields]


def kind_label(kind: str) -> StrOrPromise:
    return dict(EVIDENCE_KINDS).get(kind, kind)
