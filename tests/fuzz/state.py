"""What the fuzz tests compare before and after a refused request: a fingerprint of every row
of our apps' tables (values, not only counts), so that a refusal that half-wrote anything, or
changed one field of one row, shows as a difference."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection

from django.apps import apps
from django.db.models import Model
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from tests.conftest import DERIVED_TABLES

# A fixed seed (the same examples on every run, CI stays stable), no example database and no
# shrinking (a failure is printed as found; shrinking one can take minutes): each test < 30 s.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
OURS = ("accounts", "emissions", "assessments", "reports")
# Text a user may type that our code must take as text: blanks, huge, control characters,
# markup, formula-like, numbers in words and forms that parsers choke on.
NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\u202e",
            "<script>x</script>",
            "=1+1",
            "NaN",
            "Infinity",
            "-0",
            "1e309",
            "9" * 400,
            "١٢٣",
            "１２",
            "0x10",
            "None",
            "null",
            "{}",
            "[]",
            "' OR 1=1 --",
        ]
    ),
    st.text(min_size=1, max_size=3).map(lambda t: t * 4000),
)


def _models(skip: Collection[type[Model]]) -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OURS
        and model not in skip
        and not model._meta.proxy
        and model._meta.label not in DERIVED_TABLES
    ]


def fingerprint(skip: Collection[type[Model]] = ()) -> dict[str, str]:
    """Each of our tables (but `skip`) → a digest of all its rows in primary-key order."""
    digests = {}
    for model in _models(skip):
        rows = model._default_manager.order_by("pk").values_list()
        digests[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def form_fields(html: str, action: str) -> list[str]:
    """The names of the inputs, selects and text areas of the page's form posting to `action`."""
    names: list[str] = []
    for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", html, re.S):
        if f'action="{action}"' in form.group(1) or action == "":
            names += re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', form.group(2))
    return sorted(set(names) - {"csrfmiddlewaretoken"})
