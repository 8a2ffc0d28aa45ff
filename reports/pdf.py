"""HTML to PDF: the only module that imports WeasyPrint.

Its URL fetcher serves the project's own static files (the print CSS under
reports/static/reports/ and the shared static folder) and refuses anything else: no network,
no other file, no data from a URL a document might carry. Fonts come from the system's
fontconfig (Debian's fonts-noto-cjk: "Noto Sans CJK SC"), subset and embedded by WeasyPrint
through libharfbuzz-subset.

Each thread keeps one font configuration and the parsed print stylesheet for all its renders
(`_tools`): a fresh FontConfiguration re-reads fontconfig and reopens the CJK faces, and the
stylesheet was parsed again for every document; the PDF bytes are the same either way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text import ffi
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PROJECT = Path(__file__).resolve().parent.parent
ALLOWED_ROOTS = (
    PROJECT / "reports" / "static",
    PROJECT / "zerocarbon" / "static",
)
PRINT_CSS = PROJECT / "reports" / "static" / "reports" / "print.css"


class FetchRefused(ValueError):
    """A document asked for something outside the project's static files."""


def allowed_path(url: str) -> Path:
    """The local file `url` names, if it is one of the project's static files."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise FetchRefused(f"refused: {url}")
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root) and path.is_file() for root in ALLOWED_ROOTS):
        raise FetchRefused(f"refused: {url}")
    return path


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """WeasyPrint's fetcher, restricted to the project's static files."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = allowed_path(url)
        return URLFetcherResponse(path.as_uri(), path.read_bytes())


def fast_font_subsetting() -> bool:
    """True when WeasyPrint subsets fonts with libharfbuzz-subset (Debian's
    libharfbuzz-subset0): without it, a CJK font is subset in Python and a page takes seconds."""
    return ffi.harfbuzz_subset is not None


Stage = Callable[[str, int], None]


def quiet(stage: str, progress: int) -> None:
    """No progress wanted."""


class _Tools(threading.local):
    """One thread's fetcher, font configuration and parsed print stylesheet (Pango's font
    map is not shared between threads)."""

    tools: tuple[StaticOnlyFetcher, FontConfiguration, CSS] | None = None


_TOOLS = _Tools()


def _tools() -> tuple[StaticOnlyFetcher, FontConfiguration, CSS]:
    """This thread's fetcher, font configuration and print stylesheet, built on first use."""
    if _TOOLS.tools is None:
        fetcher, fonts = StaticOnlyFetcher(), FontConfiguration()
        stylesheet = CSS(filename=str(PRINT_CSS), url_fetcher=fetcher, font_config=fonts)
        _TOOLS.tools = fetcher, fonts, stylesheet
    return _TOOLS.tools


def render_pdf(html: str, *, on_stage: Stage = quiet) -> bytes:
    """`html` laid out with the print CSS and written as PDF bytes; `on_stage(stage, percent)`
    is told when the layout and the writing begin."""
    fetcher, fonts, stylesheet = _tools()
    on_stage("layout", 40)
    laid_out = HTML(string=html, base_url=PRINT_CSS.parent.as_uri() + "/", url_fetcher=fetcher)
    document = laid_out.render(stylesheets=[stylesheet], font_config=fonts)
    on_stage("write", 80)
    data = document.write_pdf()
    return bytes(data)
