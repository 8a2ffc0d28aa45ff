"""The language of an API answer: English unless the client prefers Chinese.

Pages follow Django's LocaleMiddleware (cookie, then Accept-Language, then LANGUAGE_CODE:
Chinese by default). A machine client of `/api/` sends no cookie and often no Accept-Language,
and its developers read English, so under `/api/` only Accept-Language counts and the default
is English: Chinese when the most preferred language the platform speaks is a Chinese variant
(`zh`, `zh-Hans`, `zh-CN`, `zh-SG`, and also `zh-Hant`, `zh-TW`, `zh-HK`, which Django maps to
the one Chinese it has, as it does for pages). The whole answer is then in that language:
our messages, the kernels' and DRF's and Django's own (their zh_Hans catalogues); `code`
values are identifiers and never change with it.

Sits right after LocaleMiddleware, which would otherwise activate the page language; the
body limit's refusal (`process_view`) and Django's error views run inside it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

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
