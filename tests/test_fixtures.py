"""The repository's copies of the worked examples stay identical to the specification's."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_DATA, EXAMPLES, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "examples"
NAMES = ["demo-dossier.json", "demo-rated-dossier.json", "demo-dossier.expected.json",
         "demo-rated-dossier.expected.json"]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_the_fixture_copy_equals_the_spec_example(name: str) -> None:
    if not EXAMPLES.exists():
        pytest.skip("../shared/examples is not beside this checkout")
    assert (FIXTURES / name).read_bytes() == (EXAMPLES / name).read_bytes()


@pytest.mark.parametrize("name", NAMES[:2])
def test_the_demo_data_is_the_spec_example(name: str) -> None:
    assert (DEMO_DATA / name).read_bytes() == (FIXTURES / name).read_bytes()
