from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Evaluation, Rubric
from emissions.models import Inventory
from tests.conftest import DEMO_DATA, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "examples"

pytestmark = pytest.mark.django_db
EXPECTED_PARTS = (
    "factors",
    "emissions",
    "metrics",
    "gates",
    "indicators",
    "total_score",
    "star_level",
    "zero_carbon",
)


def evaluate(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("evaluate_dossier", str(path), "--as-of", "2025-06-30", *args, stdout=out)
    return out.getvalue()


def expected(name: str) -> dict[str, Any]:
    source = FIXTURES
    data: dict[str, Any] = json.loads(
        (source / f"{name}.expected.json").read_text(encoding="utf-8")
    )
    return data


def assert_contains(actual: Any, wanted: Any, where: str = "") -> None:
    """Every value of `wanted` is in `actual` (lists element by element, dicts by key)."""
    if isinstance(wanted, dict):
        for key, value in wanted.items():
            assert key in actual, f"{where}/{key} missing"
            assert_contains(actual[key], value, f"{where}/{key}")
    elif isinstance(wanted, list):
        assert len(actual) == len(wanted), where
        for index, (a, w) in enumerate(zip(actual, wanted, strict=True)):
            assert_contains(a, w, f"{where}/{index}")
    else:
        assert actual == wanted, f"{where}: {actual!r} != {wanted!r}"


@pytest.mark.parametrize("name", ["demo-dossier", "demo-rated-dossier"])
def test_evaluate_dossier_reproduces_the_worked_examples_exactly(name: str) -> None:
    result = json.loads(evaluate(DEMO_DATA / f"{name}.json"))
    want = expected(name)
    for part in EXPECTED_PARTS:
        assert_contains(result[part], want[part], part)
    assert list(result) == [
        "dossier",
        "rubric",
        "factors",
        "emissions",
        "metrics",
        "gates",
        "indicators",
        "total_score",
        "star_level",
        "zero_carbon",
        "limited_by",
        "next_level",
        "instrument_issues",
        "input_sha256",
    ]
    assert len(result["input_sha256"]) == 64


def test_evaluate_dossier_saves_nothing() -> None:
    evaluate(DEMO_DATA / "demo-dossier.json")
    assert Inventory.objects.count() == 0
    assert Assessment.objects.count() == 0


def test_evaluate_dossier_is_deterministic_for_the_same_date() -> None:
    first = evaluate(DEMO_DATA / "demo-dossier.json")
    assert evaluate(DEMO_DATA / "demo-dossier.json") == first


def test_the_text_format_is_a_bilingual_summary() -> None:
    text = evaluate(DEMO_DATA / "demo-rated-dossier.json", "--format", "text")
    assert "星级 Star level: 四星 4★" in text
    assert "总分 Total 77.32" in text
    assert "类别1 直接排放 Category 1 direct" in text


def test_an_invalid_file_exits_2_with_every_error_on_stderr(tmp_path: Path) -> None:
    data = json.loads((DEMO_DATA / "demo-dossier.json").read_text(encoding="utf-8"))
    data["energy"][0]["unit"] = "t"
    data["year"] = 2031
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        evaluate(bad)
    assert raised.value.returncode == 2
    assert "/energy/0/unit" in str(raised.value)
    assert "/year" in str(raised.value)


def test_a_file_that_is_not_json_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": ', encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        evaluate(bad)
    assert raised.value.returncode == 2


def test_import_and_export_commands_round_trip(orgs: Any, tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "import_dossier",
        str(DEMO_DATA / "demo-dossier.json"),
        "--organisation",
        "org-b",
        "--as-of",
        "2025-06-30",
        stdout=out,
    )
    assert "Imported" in out.getvalue()
    target = tmp_path / "out.json"
    call_command(
        "export_dossier",
        "--organisation",
        "org-b",
        "--credit-code",
        "91320594MA1EXAMPL2",
        "--year",
        "2023",
        "-o",
        str(target),
    )
    original = (DEMO_DATA / "demo-dossier.json").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8").rstrip("\n") == original.rstrip("\n")


def test_import_dossier_with_an_unknown_organisation_exits_2(orgs: Any) -> None:
    with pytest.raises(CommandError, match="No organisation"):
        call_command(
            "import_dossier", str(DEMO_DATA / "demo-dossier.json"), "--organisation", "nobody"
        )


def test_load_demo_imports_and_evaluates_both_examples_into_org_a_once(
    orgs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    levels = sorted((e.star_level or 0, str(e.total_score)) for e in Evaluation.objects.all())
    assert levels == [(0, "71.92"), (4, "77.32")]
    assert sorted(
        Inventory.objects.values_list("factory__organisation__slug", "factory__credit_code")
    ) == [
        ("org-a", "91320214MA1WXJM00Y"),
        ("org-a", "91320594MA1EXAMPL2"),
    ]


def test_load_rubric_accepts_the_shipped_file_again_as_a_no_op() -> None:
    out = StringIO()
    call_command("load_rubric", "assessments/rubrics/t-ceca-g-0171-2022.yaml", stdout=out)
    assert "Already loaded (identical)" in out.getvalue()
    assert Rubric.objects.count() == 1


def test_load_rubric_loads_a_new_edition_without_a_code_change(tmp_path: Path) -> None:
    import yaml

    document = yaml.safe_load(
        Path("assessments/rubrics/t-ceca-g-0171-2022.yaml").read_text(encoding="utf-8")
    )
    document["edition"] = "2025.1"
    document["levels"]["I"][0]["requirements"][0]["minimum"] = 65
    path = tmp_path / "new.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    call_command("load_rubric", str(path), stdout=StringIO())
    assert Rubric.objects.filter(edition="2025.1").exists()


def test_load_rubric_refuses_changing_a_published_edition(tmp_path: Path) -> None:
    import yaml

    document = yaml.safe_load(
        Path("assessments/rubrics/t-ceca-g-0171-2022.yaml").read_text(encoding="utf-8")
    )
    document["levels"]["I"][0]["requirements"][0]["minimum"] = 65
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="never changes") as raised:
        call_command("load_rubric", str(path))
    assert raised.value.returncode == 2


def test_load_rubric_reports_every_problem_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("code: X\nedition: 1\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("load_rubric", str(path))
    assert raised.value.returncode == 2
    assert "/" in str(raised.value)


@pytest.mark.django_db(transaction=True)
def test_load_demo_puts_the_rated_example_in_the_demo_bodys_queue_with_its_evidence() -> None:
    from assessments.models import Review

    call_command("load_demo", stdout=StringIO())
    review = Review.objects.get()
    assert review.certification_body.slug == "cert-body"
    assert review.status == Review.Status.OPEN
    evidence = review.assessment.inventory.evidence.all()
    assert {e.reference for e in evidence} == {
        "注销证明-2024-03.pdf",
        "绿证核发凭证-2023-01.pdf",
        "能源管理体系认证证书.pdf",
        "温室气体核查报告-2023.pdf",
    }
    assert all(e.file.read(5) == b"%PDF-" for e in evidence)
    linked = review.assessment.answers.filter(evidence__isnull=False)
    assert sorted(linked.values_list("item_id", "evidence__reference")) == [
        ("ERU-3", "能源管理体系认证证书.pdf"),
        ("RED-1", "温室气体核查报告-2023.pdf"),
    ]
    call_command("load_demo", stdout=StringIO())  # idempotent
    assert Review.objects.count() == 1
