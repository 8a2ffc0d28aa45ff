"""The admin's re-rating pages (services.rerate): publishing a factor set or a rubric edition
starts the preview of its impact; the batch's page shows what it re-rates with, progress,
every assessment whose score, stars or tCO2e change (before → after), what was left out and
why, and the button that confirms it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.admin import RubricAdmin
from assessments.models import RerateBatch, RerateItem, Rubric
from assessments.rubric_editions import publish_rubric
from assessments.services import rerate, rerate_target
from emissions.admin import FactorSetAdmin
from emissions.models import FactorSet

EXCLUDED_LABELS = {
    "approved": gettext_lazy("approved (re-stated only through a review)"),
    "in_review": gettext_lazy("in review at a certification body"),
    "evaluating": gettext_lazy("being evaluated"),
    "not_rated": gettext_lazy("drafts and failed evaluations (rated at their next submission)"),
}


class RerateFactorSetAdmin(FactorSetAdmin):
    """The factor sets' admin, which also previews re-ratings (a publication starts one)."""

    actions = [*FactorSetAdmin.actions, "preview_rerating"]

    @admin.action(description=gettext_lazy("Publish (freezes the set for ever)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[FactorSet]) -> None:
        drafts = list(queryset.filter(status=FactorSet.Status.DRAFT).values_list("pk", flat=True))
        super().publish(request, queryset)
        published = FactorSet.objects.filter(pk__in=drafts, status=FactorSet.Status.PUBLISHED)
        self.preview_rerating(request, published)

    @admin.action(description=gettext_lazy("Preview the re-rating with the selected set"))
    def preview_rerating(self, request: HttpRequest, queryset: QuerySet[FactorSet]) -> None:
        _start_previews(self, request, queryset)


def _start_previews(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, targets: Iterable[FactorSet | Rubric]
) -> None:
    """A preview for each published set or edition selected, each refusal said in words."""
    for target in targets:
        try:
            batch = rerate.start_preview(request.user, target)  # type: ignore[arg-type]
        except rerate.RerateRefused as refusal:
            model_admin.message_user(request, refusal.message, messages.ERROR)
            continue
        url = reverse("admin:assessments_reratebatch_change", args=[batch.pk])
        message = _(
            "Re-rating {number} with {version}: the preview is being computed; open it at"
            " {url} and confirm it there."
        )
        label = rerate_target.named(target).label
        model_admin.message_user(request, message.format(number=batch.pk, version=label, url=url))


admin.site.unregister(FactorSet)
admin.site.register(FactorSet, RerateFactorSetAdmin)


class RerateRubricAdmin(RubricAdmin):
    """The rubric editions' admin: publishing a draft edition previews the re-rating of the
    assessments of the older editions of its code (also the edition's own action)."""

    actions = ["publish", "preview_rerating"]

    def has_publish_permission(self, request: HttpRequest) -> bool:
        """Editions are never edited here, but publishing one is a change of it."""
        return request.user.has_perm("assessments.change_rubric")

    @admin.action(
        description=gettext_lazy("Publish the edition (freezes it for ever)"),
        permissions=["publish"],
    )
    def publish(self, request: HttpRequest, queryset: QuerySet[Rubric]) -> None:
        published = [rubric for rubric in queryset if publish_rubric(rubric)]
        for rubric in published:
            message = _("Published {code} edition {edition}.")
            self.message_user(request, message.format(code=rubric.code, edition=rubric.edition))
        _start_previews(self, request, Rubric.objects.filter(pk__in=[r.pk for r in published]))

    @admin.action(
        description=gettext_lazy("Preview the re-rating with the selected edition"),
        permissions=["publish"],
    )
    def preview_rerating(self, request: HttpRequest, queryset: QuerySet[Rubric]) -> None:
        _start_previews(self, request, queryset)


admin.site.unregister(Rubric)
admin.site.register(Rubric, RerateRubricAdmin)


@admin.register(RerateBatch)
class RerateBatchAdmin(admin.ModelAdmin[RerateBatch]):
    list_display = ["pk", "target", "status", "total", "created_by", "created_at"]
    list_filter = ["status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a batch starts from a factor set or edition (publish, or its action)

    @admin.display(description=gettext_lazy("Re-rated with"))
    def target(self, batch: RerateBatch) -> str:
        return rerate_target.of(batch).label

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the record of what was re-rated

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:batch_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="assessments_reratebatch_confirm",
            ),
            path(
                "<int:batch_id>/discard/",
                self.admin_site.admin_view(self.discard_view),
                name="assessments_reratebatch_discard",
            ),
        ]
        return own + super().get_urls()

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        related = RerateBatch.objects.select_related("factor_set", "rubric")
        batch = get_object_or_404(related, pk=object_id)
        progress = rerate.progress(batch)
        changed = list(rerate.changed_items(batch))
        target = rerate_target.of(batch)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Re-rating {number} with {version}").format(
                number=batch.pk, version=target.label
            ),
            "batch": batch,
            "target": target.label,
            "unrated_label": _("Cannot be rated with the new edition")
            if batch.rubric_id
            else RerateItem.State.UNRATED.label,
            "progress": progress,
            "changed": changed,
            "unchanged": progress.by_state.get("previewed", 0)
            + progress.by_state.get("applied", 0)
            - sum(1 for item in changed if item.state != "unrated"),
            "excluded": [(EXCLUDED_LABELS[k], n) for k, n in batch.excluded.items() if n],
            "running": batch.status in RerateBatch.RUNNING,
            "can_confirm": batch.status == RerateBatch.Status.PREVIEWED
            and self.has_change_permission(request, batch),
        }
        return TemplateResponse(request, "admin/assessments/rerate_batch.html", context)

    def confirm_view(self, request: HttpRequest, batch_id: int) -> HttpResponse:
        return self._act(request, batch_id, confirm=True)

    def discard_view(self, request: HttpRequest, batch_id: int) -> HttpResponse:
        return self._act(request, batch_id, confirm=False)

    def _act(self, request: HttpRequest, batch_id: int, *, confirm: bool) -> HttpResponse:
        batch = get_object_or_404(RerateBatch, pk=batch_id)
        if request.method != "POST" or not self.has_change_permission(request, batch):
            raise PermissionDenied
        try:
            if confirm:
                rerate.confirm(request.user, batch, request.POST.get("fingerprint", ""))  # type: ignore[arg-type]
                self.message_user(request, _("Confirmed: the workers are re-rating."))
            else:
                rerate.discard(batch)
                self.message_user(request, _("Preview discarded; nothing was re-rated."))
        except rerate.RerateRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
        url = reverse("admin:assessments_reratebatch_change", args=[batch.pk])
        return HttpResponseRedirect(url)
