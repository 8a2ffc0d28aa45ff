"""A thread renders every PDF with one font configuration and one parsed print stylesheet, and
the bytes are those of a render with fresh ones (the way every render was drawn before)."""

from __future__ import annotations

import threading
from unittest import mock

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from reports import pdf

HTML_TEXT = (
    '<html lang="zh-Hans"><body class="report"><h2>示例精密制造（无锡）有限公司</h2>'
    '<table class="data"><tr><th>来源</th><td class="num">1,234.5</td></tr></table>'
    "<p><strong>Bold</strong> 正文 text</p></body></html>"
)


def _fresh_render(html: str) -> bytes:
    """A render with its own fetcher, font configuration and stylesheet."""
    fetcher, fonts = pdf.StaticOnlyFetcher(), FontConfiguration()
    stylesheet = CSS(filename=str(pdf.PRINT_CSS), url_fetcher=fetcher, font_config=fonts)
    base_url = pdf.PRINT_CSS.parent.as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[stylesheet], font_config=fonts
    )
    return bytes(document.write_pdf())


def test_the_shared_tools_give_the_bytes_of_a_fresh_render() -> None:
    expected = _fresh_render(HTML_TEXT)
    assert pdf.render_pdf(HTML_TEXT) == expected
    assert pdf.render_pdf(HTML_TEXT) == expected  # the second render on the same tools


def test_the_print_stylesheet_is_parsed_once_per_thread() -> None:
    seen: list[tuple[object, FontConfiguration, CSS]] = []
    with (
        mock.patch.object(pdf, "_TOOLS", pdf._Tools()),
        mock.patch.object(pdf, "CSS", wraps=CSS) as parse,
    ):
        pdf.render_pdf("<p>一</p>")
        pdf.render_pdf("<p>二</p>")
        assert parse.call_count == 1
        seen.append(pdf._tools())
        other = threading.Thread(target=lambda: seen.append(pdf._tools()))
        other.start()
        other.join()
        assert parse.call_count == 2
    mine, theirs = seen
    assert mine[1] is not theirs[1]  # another thread, another font configuration
