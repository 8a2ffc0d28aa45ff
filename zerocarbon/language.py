"""The language of a page and of an API answer.

Pages follow Django's LocaleMiddleware (cookie, then Accept-Language, then LANGUAGE_CODE:
Chinese by default), except that a signed-in user who chose a language with the header's
switch gets that one on every browser: the choice is saved on the user
(zerocarbon.accounts.preferences), put into the session at login, and `UserLanguageMiddleware`
activates it and keeps the language cookie in step, so that the login page after logging out
still speaks it.

The API: English unless the client prefers Chinese. A machine client of `/api/` sends no
cookie and often no Accept-Language, and its developers read English, so under `/api/` only
Accept-Language counts and the default is English: Chinese when the most preferred language
the platform speaks is a Chinese variant (`zh`, `zh-Hans`, `zh-CN`, `zh-SG`, and also
`zh-Hant`, `zh-TW`, `zh-HK`, which Django maps to the one Chinese it has, as it does for
pages). The whole answer is then in that language: our messages, the kernels' and DRF's and
Django's own (their zh_Hans catalogues); `code` values are identifiers and never change with
it.

`ApiLanguageMiddleware` sits after LocaleMiddleware (and the user's choice, which leaves
/api/ alone), which would otherwise activate the page language; the body limit's refusal
(`process_view`) and Django's error views run inside it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from zerocarbon.accounts.preferences import LANGUAGE_SESSION_KEY, supported_language
from zerocarbon.api import is_api_request

API_DEFAULT_LANGUAGE = "en"


def api_language(accept_language: str) -> str:
    """The language of an API answer for an Accept-Language header (RFC 9110 preference
    order; `*` and languages the platform does not speak fall through to English)."""
    for code, _quality in parse_accept_lang_header(accept_language):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return API_DEFAULT_LANGUAGE


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_request(request):
            return self.get_response(request)
        language = api_language(request.headers.get("Accept-Language", ""))
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response


def chosen_language(request: HttpRequest) -> str | None:
    """The language the signed-in user chose (carried in their session), if any."""
    session = getattr(request, "session", None)
    code = session.get(LANGUAGE_SESSION_KEY) if session is not None else None
    return code if isinstance(code, str) and supported_language(code) else None


class UserLanguageMiddleware:
    """Pages of a user who chose a language speak it, whatever the browser's cookie says;
    the cookie is then set to it. Sits right after LocaleMiddleware; /api/ is left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_request(request):
            return self.get_response(request)
        language = chosen_language(request)
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # The view may just have logged the user in, or switched: the cookie follows.
        language = chosen_language(request)
        if language is not None and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
