"""Re-rating after a new rubric edition is published (issue 11): the preview of a changed
threshold or of moved item points lists exactly the assessments whose result changes; an
edition that drops an item, or asks a new one, cannot rate the assessments whose answers do
not carry over, and they stay on their edition; approved results, rounds in review and drafts
are left out and untouched; confirmation moves each assessment to the new edition (in its
trail) with an evaluation of its own, and is refused when the preview is stale."""

from __future__ import annotations

import copy
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from assessments.models import Assessment, Evaluation, RerateBatch, RerateItem, Rubric
from assessments.rubric_editions import load_rubric_document
from assessments.services import evaluation as evaluations
from assessments.services import rerate
from assessments.services.answers import save_answers
from assessments.services.workflow import reopen_assessment
from tests.assessments.reviewing import AS_OF, OnCommit
from tests.assessments.test_rerate import _rated, _variant, portfolio  # noqa: F401  (fixture)
from tests.conftest import logged_in
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db

CODE, OLD = "T/CECA-G 0171-2022", "2022.1"
Document = dict[str, Any]


@pytest.fixture
def editions(
    portfolio: dict[str, Assessment],  # noqa: F811
    orgs: dict[str, Organisation],
    alice: User,
    django_capture_on_commit_callbacks: Any,
) -> dict[str, Assessment]:
    """The re-rating portfolio (three rated, one approved, one in review, one draft) and
    `other`: rated without the ICT answers nor INF-2, with INF-1 at its full level (66.42
    points, 3 stars, where the national ones have 77.32 and 4 stars, and the provincial one
    75.81 and no stars: a gate fails)."""
    other = _variant(orgs["org-a"], 7)
    answers = {a.item_id: a.value for a in other.answers.all()}
    for item in ("ICT-1", "ICT-2", "ICT-3", "ICT-4", "INF-2"):
        del answers[item]
    save_answers(alice, other, {**answers, "INF-1": 3})
    _rated(alice, other, django_capture_on_commit_callbacks)
    other.refresh_from_db()
    return {**portfolio, "other": other}


def _edition(edition: str, change: Callable[[Document], None], status: str = "published") -> Rubric:
    """The shipped edition again as `edition`, changed by `change`, loaded with `status`."""
    document = copy.deepcopy(Rubric.objects.get(code=CODE, edition=OLD).document)
    document["edition"], document["status"] = edition, status
    change(document)
    rubric, created = load_rubric_document(document)
    assert created
    return rubric


def _item(document: Document, item_id: str) -> Document:
    found: Document = next(item for item in document["items"] if item["id"] == item_id)
    return found


def _raise_level_4(document: Document) -> None:
    """Four stars from 77.5 points instead of 70, on both boundaries."""
    for boundary in ("I", "II"):
        four = next(level for level in document["levels"][boundary] if level["level"] == 4)
        four["requirements"][0]["minimum"] = 77.5


def _move_a_point_to_inf_1(document: Document) -> None:
    """INF-1 (building) worth 4 points, INF-4 (metering) 1: the indicator still adds up."""
    _item(document, "INF-1")["points"] = 4
    _item(document, "INF-4")["points"] = 1


def _drop_inf_2(document: Document) -> None:
    """No more INF-2 (lighting); its 2 points go to INF-4."""
    document["items"] = [item for item in document["items"] if item["id"] != "INF-2"]
    _item(document, "INF-4")["points"] = 4


def _ask_inf_5_and_g5(document: Document) -> None:
    """A new question, INF-5, worth the point INF-4 gives up; a new declared gate, G5."""
    _item(document, "INF-4")["points"] = 1
    new = {**copy.deepcopy(_item(document, "INF-4")), "id": "INF-5", "points": 1}
    document["items"].insert(document["items"].index(_item(document, "INF-4")) + 1, new)
    document["gates"].append({**copy.deepcopy(document["gates"][0]), "id": "G5"})


def _snapshot() -> dict[int, tuple[int, list[tuple[int, str]]]]:
    """Every assessment's edition and evaluations (with their sha256)."""
    return {
        a.pk: (a.rubric_id, sorted(a.evaluations.values_list("pk", "sha256")))
        for a in Assessment.objects.all()
    }


def _previewed(with_: Rubric, on_commit: OnCommit, user: User | None = None) -> RerateBatch:
    with on_commit(execute=True):
        batch = rerate.start_preview(user, with_)
    batch.refresh_from_db()
    return batch


def _ids(editions: dict[str, Assessment], *names: str) -> set[int]:
    return {editions[name].pk for name in names}


RATED = ("national", "national_2", "provincial", "other")


def test_a_raised_threshold_lists_exactly_the_assessments_whose_stars_change(
    editions: dict[str, Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    before = _snapshot()
    batch = _previewed(_edition("2025.1", _raise_level_4), django_capture_on_commit_callbacks)

    assert batch.status == RerateBatch.Status.PREVIEWED
    assert batch.rubric is not None
    assert batch.factor_set is None
    assert {item.assessment_id for item in batch.items.all()} == _ids(editions, *RATED)
    changed = {item.assessment_id for item in rerate.changed_items(batch)}
    assert changed == _ids(editions, "national", "national_2")  # provincial: a gate fails
    assert batch.excluded == {"approved": 1, "in_review": 1, "evaluating": 0, "not_rated": 1}
    item = batch.items.get(assessment=editions["national"])
    assert (item.before["star_level"], item.after["star_level"]) == (4, 3)
    assert item.before["total_score"] == item.after["total_score"] == "77.32"
    kept = batch.items.get(assessment=editions["other"])
    assert (kept.changed, kept.before["star_level"], kept.after["star_level"]) == (False, 3, 3)
    assert _snapshot() == before  # a preview changes nothing


def test_moved_item_points_list_exactly_the_assessments_whose_score_changes(
    editions: dict[str, Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    new = _edition("2025.1", _move_a_point_to_inf_1)
    batch = _previewed(new, django_capture_on_commit_callbacks)

    changed = {item.assessment_id for item in rerate.changed_items(batch)}
    assert changed == _ids(editions, "national", "national_2", "provincial")  # INF-1 at 2 of 3
    item = batch.items.get(assessment=editions["national"])
    assert (item.before["total_score"], item.after["total_score"]) == ("77.32", "76.99")
    assert batch.items.get(assessment=editions["other"]).changed is False  # INF-1 at 3 of 3


def test_confirmation_moves_each_assessment_to_the_edition_and_leaves_the_others_untouched(
    editions: dict[str, Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    new = _edition("2025.1", _raise_level_4)
    batch = _previewed(new, on_commit)
    before = _snapshot()

    with on_commit(execute=True):
        rerate.confirm(None, batch, batch.fingerprint)

    assert RerateBatch.objects.get(pk=batch.pk).status == RerateBatch.Status.APPLIED
    for name in RATED:
        assessment = Assessment.objects.get(pk=editions[name].pk)
        item = batch.items.get(assessment=assessment)
        assert item.state == RerateItem.State.APPLIED
        assert assessment.rubric == new
        latest = Evaluation.objects.filter(assessment=assessment).order_by("-pk").first()
        assert latest is not None
        assert latest == item.evaluation
        assert (latest.rubric_code, latest.rubric_edition) == (CODE, "2025.1")
        assert latest.star_level == item.after["star_level"]
        assert assessment.evaluations.count() == 2  # the old result stays, a record
        trail = assessment.history.order_by("-history_id").first()
        assert trail is not None
        assert trail.rubric_id == new.pk
    for name in ("approved", "in_review", "draft"):
        assert _snapshot()[editions[name].pk] == before[editions[name].pk]
        assert Assessment.objects.get(pk=editions[name].pk).rubric.edition == OLD

    # Rated with its own edition from now on, not with the one the dossier's code names last.
    again = evaluations.compute(Assessment.objects.get(pk=editions["approved"].pk), as_of=AS_OF)
    assert (again.inputs["rubric"]["edition"], again.result["star_level"]) == (OLD, 4)


def test_an_edition_that_drops_an_answered_item_cannot_rate_those_assessments(
    editions: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    batch = _previewed(_edition("2025.1", _drop_inf_2), on_commit)

    unrated = batch.items.filter(state=RerateItem.State.UNRATED)
    assert {item.assessment_id for item in unrated} == _ids(
        editions, "national", "national_2", "provincial"
    )
    item = unrated.get(assessment=editions["national"])
    assert set(item.error_texts) == {"en", "zh-hans"}
    assert "/answers/INF-2" in item.error_texts["en"]
    assert "unknown item id" in item.error_texts["en"]
    assert item.error_texts["zh-hans"] != item.error_texts["en"]
    assert item in rerate.changed_items(batch)  # listed, with its reason
    assert batch.items.get(assessment=editions["other"]).state == RerateItem.State.PREVIEWED

    page = logged_in(User.objects.get(username="admin")).get(
        f"/admin/assessments/reratebatch/{batch.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.content.decode().count("Cannot be rated with the new edition") == 3

    with on_commit(execute=True):
        rerate.confirm(None, batch, batch.fingerprint)
    item.refresh_from_db()
    assert (item.state, item.evaluation) == (RerateItem.State.UNRATED, None)
    national = Assessment.objects.get(pk=editions["national"].pk)
    assert (national.rubric.edition, national.evaluations.count()) == (OLD, 1)
    assert Assessment.objects.get(pk=editions["other"].pk).rubric.edition == "2025.1"

    # Left on its edition, it is edited and rated with that edition, INF-2 and all.
    reopen_assessment(alice, national)
    answers = {a.item_id: a.value for a in national.answers.all()}
    save_answers(alice, national, {**answers, "INF-2": "0.9"})
    again = evaluations.compute(Assessment.objects.get(pk=national.pk), as_of=AS_OF)
    assert again.inputs["rubric"]["edition"] == OLD


def test_an_item_or_gate_new_in_the_edition_cannot_be_rated_without_its_answer(
    editions: dict[str, Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    new = _edition("2025.1", _ask_inf_5_and_g5)
    batch = _previewed(new, django_capture_on_commit_callbacks)

    unrated = batch.items.filter(state=RerateItem.State.UNRATED)
    assert {item.assessment_id for item in unrated} == _ids(editions, *RATED)
    text = unrated.get(assessment=editions["other"]).error_texts["en"]
    assert "do not carry over" in text
    assert "/answers/INF-5: new in edition 2025.1" in text
    assert "/gates/G5: new in edition 2025.1" in text


def test_a_stale_preview_is_refused_and_a_draft_edition_is_not_previewed(
    editions: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    draft = _edition("2025.1", _raise_level_4, status="draft")
    with pytest.raises(rerate.RerateRefused, match="not published"):
        rerate.start_preview(alice, draft)

    batch = _previewed(_edition("2025.2", _raise_level_4), on_commit)
    reopen_assessment(alice, editions["national"])  # leaves the scope: a new draft
    with pytest.raises(rerate.RerateRefused, match="changed since this preview"):
        rerate.confirm(alice, batch, batch.fingerprint)
    assert not batch.items.filter(state=RerateItem.State.APPLIED).exists()
    assert Assessment.objects.filter(rubric__edition=OLD).count() == len(editions)


def test_the_admin_publishes_an_edition_previews_and_confirms(
    editions: dict[str, Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    admin = logged_in(User.objects.get(username="admin"))
    draft = _edition("2025.1", _raise_level_4, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/assessments/rubric/",
            {"action": "publish", "_selected_action": [draft.pk]},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 302
    assert Rubric.objects.get(pk=draft.pk).status == "published"
    batch = RerateBatch.objects.get(rubric=draft)
    assert batch.status == RerateBatch.Status.PREVIEWED

    listing = admin.get("/admin/assessments/reratebatch/", HTTP_ACCEPT_LANGUAGE="en")
    assert f"rubric {CODE} edition 2025.1" in listing.content.decode()
    page = admin.get(
        f"/admin/assessments/reratebatch/{batch.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert f"Re-rated with rubric {CODE} edition 2025.1." in text
    assert text.count('<tr class="rerate-item">') == 2
    assert "4 → 3" in text
    assert (
        "2 assessments keep their results (they are recorded again with the new edition)." in text
    )

    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            f"/admin/assessments/reratebatch/{batch.pk}/confirm/",
            {"fingerprint": batch.fingerprint},
        )
    assert RerateBatch.objects.get(pk=batch.pk).status == RerateBatch.Status.APPLIED
    assert Assessment.objects.filter(rubric=draft).count() == len(RATED)

    with django_capture_on_commit_callbacks(execute=True):  # the edition's own action
        admin.post(
            "/admin/assessments/rubric/",
            {"action": "preview_rerating", "_selected_action": [draft.pk]},
        )
    assert RerateBatch.objects.filter(rubric=draft).count() == 2


def test_load_rubric_says_how_to_preview_or_starts_the_preview(
    editions: dict[str, Assessment], tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import json

    document = copy.deepcopy(Rubric.objects.get(code=CODE, edition=OLD).document)
    for edition, options in (("2025.1", []), ("2025.2", ["--preview-rerating"])):
        document["edition"] = edition
        path = tmp_path / f"{edition}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_rubric", str(path), *options, stdout=out)
        if not options:
            assert "--preview-rerating" in out.getvalue()
            assert not RerateBatch.objects.exists()
    batch = RerateBatch.objects.get()
    assert batch.rubric == Rubric.objects.get(edition="2025.2")
    assert f"Re-rating {batch.pk} with rubric {CODE} edition 2025.2" in out.getvalue()
    # the assessments of 2022.1 and none of 2025.1 (nobody has one), none changed
    assert batch.total == len(RATED)
    assert not rerate.changed_items(RerateBatch.objects.get()).exists()


def test_staff_who_may_only_view_rubrics_cannot_publish_one(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.contrib.auth.models import Permission

    viewer = User.objects.create_user("rubric-viewer", password="x" * 16, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_rubric"))
    client = Client()
    client.force_login(viewer)
    draft = _edition("2025.1", _raise_level_4, status="draft")
    assert client.get("/admin/assessments/rubric/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/assessments/rubric/", {"action": "publish", "_selected_action": [draft.pk]}
        )
    assert Rubric.objects.get(pk=draft.pk).status == "draft"
    assert not RerateBatch.objects.exists()


def test_the_batch_page_names_its_factor_set_too(
    portfolio: dict[str, Assessment],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.assessments.test_rerate import _new_set

    with django_capture_on_commit_callbacks(execute=True):
        batch = rerate.start_preview(None, _new_set())
    assert (batch.factor_set is not None, batch.rubric) == (True, None)
    page = logged_in(User.objects.get(username="admin")).get(
        f"/admin/assessments/reratebatch/{batch.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert "Re-rated with factor set CN-2025.2." in text
    assert "recorded again with the new set)." in text
    assert "Cannot be rated with the new edition" not in text
