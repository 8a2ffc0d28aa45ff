"""The header's language switch, and the API keys page of an organisation's admins: list,
issue (the key is shown once, in the answer to the POST, never kept in the session or passed
through a redirect) and revoke. Only the organisation's admins: its other members get 403,
everyone else 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from zerocarbon.accounts.forms import READ_ONLY, ApiKeyForm
from zerocarbon.accounts.keys import IssuedKey, issue_key, revoke_key
from zerocarbon.accounts.models import ApiKey, Membership, Organisation
from zerocarbon.accounts.preferences import remember_language, supported_language
from zerocarbon.errors import ValidationFailed


@never_cache  # the answer to a POST holds a new key
@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    administered = _administered(request)
    slug = request.GET.get("organisation")
    if slug is None and len(administered) > 1:
        return render(request, "accounts/api_keys_choose.html", {"organisations": administered})
    organisation = _organisation(request, administered, slug)
    form = ApiKeyForm(request.POST or None, organisation=organisation)
    issued = _issue(request, organisation, form) if request.method == "POST" else None
    if issued is not None:
        form = ApiKeyForm(organisation=organisation)
    context = {
        "organisation": organisation,
        "keys": ApiKey.objects.filter(organisation=organisation).prefetch_related("factories"),
        "form": form,
        "issued": issued,
        "several": len(administered) > 1,
    }
    return render(request, "accounts/api_keys.html", context)


def _issue(request: HttpRequest, organisation: Organisation, form: ApiKeyForm) -> IssuedKey | None:
    if not form.is_valid():
        return None
    try:
        return issue_key(
            organisation,
            name=form.cleaned_data["name"],
            factory_ids=[factory.pk for factory in form.cleaned_data["factories"]],
            read_only=form.cleaned_data["access"] == READ_ONLY,
            created_by=_user(request),
        )
    except ValidationFailed as error:
        for problem in error.errors:
            form.add_error(problem.path if problem.path in form.fields else None, problem.message)
        return None


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: Django's set_language (the cookie, then back to `next`),
    and for a signed-in user the choice saved on the user, so that every browser they log
    in from speaks it (zerocarbon/language.py)."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and supported_language(code):
        remember_language(request.session, _user(request), code)
    return response


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    api_key = ApiKey.objects.select_related("organisation").filter(prefix=prefix).first()
    if api_key is None:
        raise Http404
    organisation = _organisation(request, _administered(request), api_key.organisation.slug)
    revoke_key(api_key)
    messages.success(request, _("The key {prefix} is revoked.").format(prefix=api_key.prefix))
    return redirect(f"{reverse('accounts:api-keys')}?organisation={organisation.slug}")


def _administered(request: HttpRequest) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            memberships__user=_user(request), memberships__role=Membership.Role.ADMIN
        )
    )


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # login_required let only users through
        raise PermissionDenied
    return request.user


def _organisation(
    request: HttpRequest, administered: list[Organisation], slug: str | None
) -> Organisation:
    found = next((o for o in administered if slug is None or o.slug == slug), None)
    if found is not None:
        return found
    refused = _("Only the organisation's admins manage its API keys.")
    if slug is None:
        raise PermissionDenied(refused)
    if Membership.objects.filter(user=_user(request), organisation__slug=slug).exists():
        raise PermissionDenied(refused)
    raise Http404
