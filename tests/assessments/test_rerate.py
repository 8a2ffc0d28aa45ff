"""Re-rating after a new factor set is published (issue 11): the preview of a changed grid
factor lists exactly the assessments whose result changes; approved results and those in
review are left out and untouched; confirmation records the new results once, on workers in
chunks, and is refused when the preview no longer describes what is in scope."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from assessments.models import Assessment, Evaluation, RerateBatch, RerateItem, Review
from assessments.services import rerate, rerate_target
from assessments.services import review as reviews
from assessments.services.dossier import import_dossier
from assessments.services.workflow import reopen_assessment
from emissions.factor_library import document_of, store_document
from emissions.identifiers import credit_code_check_character
from emissions.models import FactorSet, Inventory
from tests.assessments.reviewing import (
    AS_OF,
    GEC_PROOF,
    RETIREMENT_PROOF,
    OnCommit,
    attach,
    decide_all,
    submit,
)
from tests.conftest import example
from zerocarbon.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def _variant(org: Organisation, number: int, *, scope: str = "national") -> Assessment:
    """The rated example as factory `number`, with its own credit code and serial ranges,
    its grid factor taken at `scope` (江苏 for provincial)."""
    data = copy.deepcopy(example("demo-rated-dossier"))
    first = f"91320214MA1WX{number:03d}0"
    data["factory"]["credit_code"] = first + credit_code_check_character(first)
    data["grid_factor_scope"] = scope
    green, credit = data["green_electricity"][0], data["credits"][0]
    green["serial_from"], green["serial_to"] = (
        f"GEC2023{number:03d}300001",
        f"GEC2023{number:03d}308000",
    )
    credit["serial_from"], credit["serial_to"] = (
        f"CCER-{number:04d}-2023-000001",
        f"CCER-{number:04d}-2023-004700",
    )
    return import_dossier(org, data, as_of=AS_OF)


def _rated(user: User, assessment: Assessment, on_commit: OnCommit, body: Any = None) -> Any:
    for reference in (RETIREMENT_PROOF, GEC_PROOF):
        attach(user, assessment, reference)
    return (
        submit(user, assessment, on_commit, body)
        if body
        else _evaluate_only(user, assessment, on_commit)
    )


def _evaluate_only(user: User, assessment: Assessment, on_commit: OnCommit) -> None:
    from assessments.services.workflow import submit_assessment

    with on_commit(execute=True):
        submit_assessment(user, assessment, as_of=AS_OF, certification_body=None)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.EVALUATED


def _new_set(version: str = "CN-2025.2", factor: Decimal = Decimal("0.6500")) -> FactorSet:
    """The default set again, published as `version`, with the national 2023 location-based
    grid factor changed to `factor`."""
    document = document_of(FactorSet.objects.get(version="CN-2025.1"))
    document["version"] = version
    national = [
        line
        for line in document["grid_factors"]
        if (line["scope"], line["year"], line["kind"]) == ("national", 2023, "location")
    ]
    assert len(national) == 1
    assert Decimal(national[0]["value_tco2_per_mwh"]) != factor
    national[0]["value_tco2_per_mwh"] = str(factor)
    from django.apps import apps

    stored: FactorSet = store_document(
        lambda name: apps.get_model("emissions", name), document, publish=True
    )
    return stored


@pytest.fixture
def portfolio(
    orgs: dict[str, Organisation], alice: User, carol: User, django_capture_on_commit_callbacks: Any
) -> dict[str, Assessment]:
    """Six assessments: two rated on the national grid factor, one on 江苏's provincial
    factor, one approved, one in review, one draft."""
    on_commit, org = django_capture_on_commit_callbacks, orgs["org-a"]
    body = orgs["cert-body"]
    made = {
        "national": _variant(org, 1),
        "national_2": _variant(org, 2),
        "provincial": _variant(org, 3, scope="provincial"),
        "approved": _variant(org, 4),
        "in_review": _variant(org, 5),
        "draft": _variant(org, 6),
    }
    for name in ("national", "national_2", "provincial"):
        _rated(alice, made[name], on_commit)
    approved = _rated(alice, made["approved"], on_commit, body)
    decide_all(carol, approved)
    with on_commit(execute=True):
        reviews.approve(carol, approved, "All claims shown.")
    assert Review.objects.get(pk=approved.pk).status == Review.Status.APPROVED
    assert _rated(alice, made["in_review"], on_commit, body).status == Review.Status.OPEN
    for assessment in made.values():
        assessment.refresh_from_db()
    return made


def _snapshot() -> dict[int, tuple[int, list[int]]]:
    """Every assessment's factor set and evaluations: what a preview must not change."""
    return {
        a.pk: (
            a.inventory.factor_set_id,
            sorted(a.evaluations.values_list("pk", flat=True)),
        )
        for a in Assessment.objects.select_related("inventory")
    }


def _previewed(alice: User, factor_set: FactorSet, on_commit: OnCommit) -> RerateBatch:
    with on_commit(execute=True):
        batch = rerate.start_preview(alice, factor_set)
    batch.refresh_from_db()
    return batch


def test_preview_of_a_changed_grid_factor_lists_exactly_the_changed_assessments(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    before = _snapshot()
    batch = _previewed(alice, _new_set(), django_capture_on_commit_callbacks)

    assert batch.status == RerateBatch.Status.PREVIEWED
    in_scope = {item.assessment_id for item in batch.items.all()}
    assert in_scope == {portfolio[n].pk for n in ("national", "national_2", "provincial")}
    changed = {item.assessment_id for item in rerate.changed_items(batch)}
    assert changed == {portfolio["national"].pk, portfolio["national_2"].pk}
    assert batch.excluded == {"approved": 1, "in_review": 1, "evaluating": 0, "not_rated": 1}
    assert rerate.progress(batch).percent == 100
    assert _snapshot() == before  # a preview changes nothing

    item = batch.items.get(assessment=portfolio["national"])
    old = portfolio["national"].evaluations.get()
    assert item.before["total_score"] == str(old.result["total_score"])
    after, before = item.after["boundary_total_tco2e"], item.before["boundary_total_tco2e"]
    assert Decimal(after) > Decimal(before)
    unchanged = batch.items.get(assessment=portfolio["provincial"])
    assert unchanged.changed is False
    assert Decimal(unchanged.after["total_score"]) == Decimal(unchanged.before["total_score"])


def test_confirmation_records_the_new_results_and_leaves_approved_ones_untouched(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    new = _new_set()
    batch = _previewed(alice, new, on_commit)
    before = _snapshot()
    approved_evaluations = set(portfolio["approved"].evaluations.values_list("pk", "sha256"))

    with on_commit(execute=True):
        rerate.confirm(alice, batch, batch.fingerprint)
    batch.refresh_from_db()

    assert batch.status == RerateBatch.Status.APPLIED
    for name in ("national", "national_2", "provincial"):
        assessment = portfolio[name]
        item = batch.items.get(assessment=assessment)
        assert item.state == RerateItem.State.APPLIED
        latest = Evaluation.objects.filter(assessment=assessment).order_by("-pk").first()
        assert latest is not None
        assert latest == item.evaluation
        assert latest.factor_set_version == "CN-2025.2"
        assert {"total_score": str(latest.total_score)}.items() <= item.after.items()
        assert Inventory.objects.get(pk=assessment.inventory_id).factor_set == new
        assert assessment.evaluations.count() == 2  # the old result stays, a record
    national = batch.items.get(assessment=portfolio["national"])
    assert national.evaluation is not None
    assert (
        national.evaluation.result["emissions"]["boundary_total"]
        != (national.previous_evaluation.result["emissions"]["boundary_total"])
    )
    for name in ("approved", "in_review", "draft"):
        assert _snapshot()[portfolio[name].pk] == before[portfolio[name].pk]
    assert set(portfolio["approved"].evaluations.values_list("pk", "sha256")) == (
        approved_evaluations
    )

    # Delivered again (a worker died after the work, before the acknowledgement): nothing new.
    count = Evaluation.objects.count()
    assert rerate.run_chunk(batch.pk, list(batch.items.values_list("pk", flat=True))) == 0
    assert Evaluation.objects.count() == count


def test_a_preview_overtaken_by_events_cannot_be_confirmed(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    batch = _previewed(alice, _new_set(), on_commit)
    reopen_assessment(alice, portfolio["national"])  # leaves the scope: a new draft
    with pytest.raises(rerate.RerateRefused, match="changed since this preview"):
        rerate.confirm(alice, batch, batch.fingerprint)
    with pytest.raises(rerate.RerateRefused, match="changed since this preview"):
        rerate.confirm(alice, batch, "0" * 64)
    batch.refresh_from_db()
    assert batch.status == RerateBatch.Status.PREVIEWED
    assert not batch.items.filter(state=RerateItem.State.APPLIED).exists()


def test_an_item_that_left_the_scope_after_confirmation_is_skipped(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    batch = _previewed(alice, _new_set(), on_commit)
    with on_commit(execute=False):  # confirmed; the chunks are not run yet
        rerate.confirm(alice, batch, batch.fingerprint)
    reopen_assessment(alice, portfolio["national"])
    ids = list(batch.items.values_list("pk", flat=True))
    assert rerate.run_chunk(batch.pk, ids) == 3
    skipped = batch.items.get(assessment=portfolio["national"])
    assert skipped.state == RerateItem.State.SKIPPED
    assert skipped.evaluation is None
    assert RerateBatch.objects.get(pk=batch.pk).status == RerateBatch.Status.APPLIED


def test_only_a_published_set_is_previewed_and_one_re_rating_runs_at_a_time(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    draft = FactorSet.objects.get(version="CN-2025.1")
    document = document_of(draft)
    document["version"] = "CN-draft"
    from django.apps import apps

    unpublished = store_document(lambda n: apps.get_model("emissions", n), document, publish=False)
    with pytest.raises(rerate.RerateRefused, match="not published"):
        rerate.start_preview(alice, unpublished)
    batch = _previewed(alice, _new_set(), on_commit)
    with on_commit(execute=False):
        rerate.confirm(alice, batch, batch.fingerprint)
    with pytest.raises(rerate.RerateRefused, match="still running"):
        rerate.start_preview(alice, _new_set("CN-2025.3", Decimal("0.6600")))
    with pytest.raises(rerate.RerateRefused, match="only a finished preview"):
        rerate.confirm(alice, batch, batch.fingerprint)
    with pytest.raises(rerate.RerateRefused, match="no longer be discarded"):
        rerate.discard(batch)


def test_the_sweep_hands_over_a_batch_the_broker_never_took(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    with on_commit(execute=False):  # the publication after the commit never happened
        batch = rerate.start_preview(alice, _new_set())
    batch.refresh_from_db()
    assert batch.status == RerateBatch.Status.PREVIEWING
    assert batch.enqueued_at is None
    assert rerate.sweep() == [batch.pk]  # eager here: the chunks ran
    swept = RerateBatch.objects.get(pk=batch.pk)
    assert swept.status == RerateBatch.Status.PREVIEWED
    assert swept.enqueued_at is not None
    assert rerate.sweep() == []  # nothing left running


def test_a_dossier_the_new_set_cannot_rate_is_listed_and_left_alone(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    on_commit = django_capture_on_commit_callbacks
    document = document_of(FactorSet.objects.get(version="CN-2025.1"))
    document["version"] = "CN-no-gas"
    document["fuels"].pop("natural_gas")
    from django.apps import apps

    no_gas = store_document(lambda n: apps.get_model("emissions", n), document, publish=True)
    batch = _previewed(alice, no_gas, on_commit)
    unrated = batch.items.get(assessment=portfolio["national"])
    assert unrated.state == RerateItem.State.UNRATED
    assert "natural_gas" in unrated.error_texts["en"]
    assert set(unrated.error_texts) == {"en", "zh-hans"}
    assert unrated in rerate.changed_items(batch)
    with on_commit(execute=True):
        rerate.confirm(alice, batch, batch.fingerprint)
    unrated.refresh_from_db()
    assert unrated.state == RerateItem.State.UNRATED
    assert unrated.evaluation is None
    assert portfolio["national"].evaluations.count() == 1


def test_the_admin_publishes_previews_and_confirms(
    portfolio: dict[str, Assessment], django_capture_on_commit_callbacks: Any
) -> None:
    from tests.conftest import logged_in

    admin = logged_in(User.objects.get(username="admin"))
    document = document_of(FactorSet.objects.get(version="CN-2025.1"))
    document["version"] = "CN-2025.2"
    national = next(
        line
        for line in document["grid_factors"]
        if (line["scope"], line["year"], line["kind"]) == ("national", 2023, "location")
    )
    national["value_tco2_per_mwh"] = "0.6500"
    from django.apps import apps

    draft = store_document(lambda n: apps.get_model("emissions", n), document, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/emissions/factorset/",
            {"action": "publish", "_selected_action": [draft.pk]},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 302
    batch = RerateBatch.objects.get(factor_set=draft)
    assert batch.status == RerateBatch.Status.PREVIEWED

    page = admin.get(f"/admin/assessments/reratebatch/{batch.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('<tr class="rerate-item">') == 2  # the two national factories
    assert "77.32 → 73.90" in text
    assert batch.fingerprint in text
    assert "已批准" in text or "approved" in text  # the approved one, left out, is counted

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/admin/assessments/reratebatch/{batch.pk}/confirm/",
            {"fingerprint": batch.fingerprint},
        )
    assert response.status_code == 302
    assert RerateBatch.objects.get(pk=batch.pk).status == RerateBatch.Status.APPLIED
    assert admin.get(f"/admin/assessments/reratebatch/{batch.pk}/confirm/").status_code == 403
    viewer = logged_in(User.objects.get(username="alice"))
    page = viewer.get(f"/admin/assessments/reratebatch/{batch.pk}/change/")
    assert page.status_code == 302  # to the admin login: staff only


def _queries(work: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


def _coverage_queries(assessment: Assessment) -> int:
    """The queries of one dossier's meter coverage (emissions', read for each evaluation)."""
    from emissions.metering_selectors import inventory_coverage

    return _queries(lambda: inventory_coverage(assessment.inventory))


def test_a_chunk_reads_and_writes_once_for_all_its_items(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Both phases: a chunk of two items makes the queries of a chunk of one, plus only the
    second dossier's meter coverage (no look-up, lock, move, insert or save per item); the
    last chunk of a phase also closes it (one update)."""
    on_commit = django_capture_on_commit_callbacks
    new = _new_set()
    with on_commit(execute=False):  # the chunks are run here, by hand
        batch = rerate.start_preview(alice, new)
    items = batch.items.select_related("assessment__inventory", "previous_evaluation")
    first, *others = list(items.order_by("pk"))
    assert len(others) == 2
    coverage = {item.pk: _coverage_queries(item.assessment) for item in [first, *others]}
    extra = sum(coverage[item.pk] for item in others) - coverage[first.pk]
    ids = [item.pk for item in others]
    # The new set's factors and the rubric, read once a process (kernel caches).
    target = rerate_target.named(new)
    references = rerate._Reads.now(target).references
    rerate._rerated(first.assessment, first.previous_evaluation, target, references)

    one = _queries(lambda: rerate.run_chunk(batch.pk, [first.pk]))
    two = _queries(lambda: rerate.run_chunk(batch.pk, ids))
    assert two == one + extra + 1
    batch.refresh_from_db()
    assert batch.status == RerateBatch.Status.PREVIEWED

    with on_commit(execute=False):
        rerate.confirm(alice, batch, batch.fingerprint)
    one = _queries(lambda: rerate.run_chunk(batch.pk, [first.pk]))
    two = _queries(lambda: rerate.run_chunk(batch.pk, ids))
    assert two == one + extra + 1
    assert set(batch.items.values_list("state", flat=True)) == {RerateItem.State.APPLIED}


def test_a_re_rating_stores_exactly_what_a_fresh_evaluation_would(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    """The chunk's bulk path against the one seam a submission goes through, once the
    inventory is on the new set: same inputs, result, factor values and both SHA-256."""
    from assessments.evaluation.engine import record_sha256
    from assessments.services import evaluation as evaluations

    on_commit = django_capture_on_commit_callbacks
    batch = _previewed(alice, _new_set(), on_commit)
    with on_commit(execute=True):
        rerate.confirm(alice, batch, batch.fingerprint)
    items = list(batch.items.select_related("evaluation", "previous_evaluation"))
    assert len(items) == 3
    for item in items:
        stored, previous = item.evaluation, item.previous_evaluation
        assert stored is not None
        assessment = Assessment.objects.select_related("inventory").get(pk=item.assessment_id)
        fresh = evaluations.compute(
            assessment, as_of=previous.as_of, document=previous.inputs["dossier"]
        )
        assert stored.input_sha256 == fresh.input_sha256
        assert stored.sha256 == record_sha256(fresh.inputs, fresh.result, fresh.factor_values)
        assert (stored.inputs, stored.result, stored.factor_values) == (
            fresh.inputs,
            fresh.result,
            fresh.factor_values,
        )
        assert stored.sha256 == record_sha256(stored.inputs, stored.result, stored.factor_values)
        assert (stored.as_of, stored.factor_set_version) == (previous.as_of, "CN-2025.2")
        assert (stored.total_score, stored.star_level, stored.zero_carbon) == (
            fresh.result["total_score"],
            fresh.result["star_level"],
            fresh.result["zero_carbon"],
        )


def test_an_item_that_cannot_be_rated_or_recorded_fails_alone(
    portfolio: dict[str, Assessment],
    alice: User,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One item whose evaluation raises and one whose record raises fail, in words, with
    nothing recorded for them (their inventory stays on its set); the third is applied."""
    from assessments.services import evaluation as evaluations

    on_commit = django_capture_on_commit_callbacks
    new = _new_set()
    batch = _previewed(alice, new, on_commit)
    unratable, unrecordable = portfolio["national"], portfolio["national_2"]
    evaluated, store = rerate._evaluated, evaluations.store_reratings

    def evaluated_but_one(item: RerateItem, *args: Any) -> Any:
        if item.assessment_id == unratable.pk:
            raise RuntimeError("kernel fault")
        return evaluated(item, *args)

    def store_but_one(rated: Any) -> Any:
        if any(assessment.pk == unrecordable.pk for assessment, _e, _d in rated):
            raise ValueError("write fault")
        return store(rated)

    monkeypatch.setattr(rerate, "_evaluated", evaluated_but_one)
    monkeypatch.setattr(evaluations, "store_reratings", store_but_one)
    with on_commit(execute=True):
        rerate.confirm(alice, batch, batch.fingerprint)

    states = dict(batch.items.values_list("assessment_id", "state"))
    assert states == {
        unratable.pk: RerateItem.State.FAILED,
        unrecordable.pk: RerateItem.State.FAILED,
        portfolio["provincial"].pk: RerateItem.State.APPLIED,
    }
    for assessment, kind in ((unratable, "RuntimeError"), (unrecordable, "ValueError")):
        item = batch.items.get(assessment=assessment)
        assert item.evaluation is None
        assert kind in item.error_texts["en"]
        assert set(item.error_texts) == {"en", "zh-hans"}
        assert assessment.evaluations.count() == 1
        assert Inventory.objects.get(pk=assessment.inventory_id).factor_set != new
    assert Inventory.objects.get(pk=portfolio["provincial"].inventory_id).factor_set == new
    assert RerateBatch.objects.get(pk=batch.pk).status == RerateBatch.Status.APPLIED


def test_the_confirmation_records_the_preview_s_results_unless_what_they_read_changed(
    portfolio: dict[str, Assessment],
    alice: User,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing changed since the preview: its results are recorded without evaluating again,
    and are exactly those a fresh evaluation stores (the test above). A registry added since
    (what a dossier's claims are read against): each dossier is evaluated again."""
    from emissions.models import Registry

    on_commit = django_capture_on_commit_callbacks
    rerated, calls = rerate._rerated, []

    def counted(*args: Any) -> Any:
        calls.append(args[0].pk)
        return rerated(*args)

    monkeypatch.setattr(rerate, "_rerated", counted)
    batch = _previewed(alice, _new_set(), on_commit)
    assert len(calls) == 3
    assert all(item.rated["input_sha256"] for item in batch.items.all())
    listed = list(rerate.changed_items(batch))  # the preview's page: without that JSON
    assert listed
    assert all("rated" in item.get_deferred_fields() for item in listed)
    with on_commit(execute=True):
        rerate.confirm(alice, batch, batch.fingerprint)
    assert len(calls) == 3  # none again
    assert set(batch.items.values_list("state", flat=True)) == {RerateItem.State.APPLIED}
    assert list(batch.items.values_list("rated", flat=True)) == [{}, {}, {}]  # not kept twice

    later = _previewed(alice, _new_set("CN-2025.3", Decimal("0.6600")), on_commit)
    Registry.objects.create(name="Another registry")
    calls.clear()
    with on_commit(execute=True):
        rerate.confirm(alice, later, later.fingerprint)
    assert sorted(calls) == sorted(item.assessment_id for item in later.items.all())
    assert set(later.items.values_list("state", flat=True)) == {RerateItem.State.APPLIED}


def test_a_discarded_preview_keeps_no_evaluation(
    portfolio: dict[str, Assessment], alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    batch = _previewed(alice, _new_set(), django_capture_on_commit_callbacks)
    assert all(batch.items.values_list("rated", flat=True))
    rerate.discard(batch)
    assert list(batch.items.values_list("rated", flat=True)) == [{}, {}, {}]
    assert RerateBatch.objects.get(pk=batch.pk).status == RerateBatch.Status.DISCARDED
