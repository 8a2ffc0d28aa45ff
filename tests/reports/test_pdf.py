"""The certificate and the full report are rendered for real (WeasyPrint, never mocked) and
read back with poppler: the factory's Chinese name, the level, an embedded CJK font, the pages
as designed; the URL fetcher serves the project's static files only."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports import pdf
from tests.conftest import DEMO_DATA
from tests.reports import pdfcheck

pytestmark = pytest.mark.django_db
DOSSIER = DEMO_DATA / "demo-rated-dossier.json"
FACTORY_ZH = "示例精密制造（无锡）有限公司"
FOUR_STARS = "★★★★"


def _drafts(tmp_path: Path, language: str) -> tuple[Path, Path]:
    certificate, report = tmp_path / f"cert-{language}.pdf", tmp_path / f"report-{language}.pdf"
    call_command(
        "evaluate_dossier",
        str(DOSSIER),
        "--as-of=2025-06-30",
        f"--language={language}",
        f"--certificate={certificate}",
        f"--report={report}",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    return certificate, report


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_draft_certificate_is_one_a4_landscape_page_with_the_factory_and_level(
    tmp_path: Path, language: str
) -> None:
    certificate, _report = _drafts(tmp_path, language)
    assert certificate.read_bytes().startswith(b"%PDF-")
    assert pdfcheck.pages(certificate) == 1
    assert pdfcheck.a4_orientation(certificate) == "landscape"
    text = pdfcheck.text(certificate)
    assert FACTORY_ZH in text
    assert FOUR_STARS in text
    assert any("Noto-Sans-CJK-SC" in name for name in pdfcheck.embedded_fonts(certificate))


def test_the_english_draft_certificate_names_the_level_and_is_marked_draft_without_a_number(
    tmp_path: Path,
) -> None:
    certificate, _report = _drafts(tmp_path, "en")
    text = pdfcheck.text(certificate)
    assert "Four-star zero-carbon factory" in text
    assert "Draft: not reviewed or approved by a certification body." in text
    assert "ZCF-" not in text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_draft_report_has_a_cover_and_every_section_on_a4_portrait_pages(
    tmp_path: Path, language: str
) -> None:
    _certificate, report = _drafts(tmp_path, language)
    assert report.read_bytes().startswith(b"%PDF-")
    assert pdfcheck.a4_orientation(report) == "portrait"
    assert 4 <= pdfcheck.pages(report) <= 10
    text = pdfcheck.text(report)
    assert FACTORY_ZH in text
    assert FOUR_STARS in text
    assert "GEC2023000200001" in text  # the instruments
    assert "0.5306" in text  # a factor value of the inventory tables
    assert any("Noto-Sans-CJK-SC" in name for name in pdfcheck.embedded_fonts(report))


def test_the_english_report_says_each_section_in_english(tmp_path: Path) -> None:
    _certificate, report = _drafts(tmp_path, "en")
    text = pdfcheck.text(report)
    for heading in (
        "Factory and boundary",
        "Inventory by category",
        "Charts",
        "Indicators and items: why each point",
        "Gates",
        "Instruments and their issues",
        "Data quality",
        "Next-level guidance",
        "Review history",
        "Platform thresholds",
    ):
        assert heading in text, heading
    assert "This evaluation has not been reviewed by a certification body." in text
    assert "Four-star zero-carbon factory" in text
    assert "Draft: not reviewed or approved by a certification body." in text


def test_the_command_still_prints_the_result_when_it_writes_pdfs(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "evaluate_dossier",
        str(DOSSIER),
        f"--report={tmp_path / 'r.pdf'}",
        stdout=out,
        stderr=StringIO(),
    )
    assert '"star_level": 4' in out.getvalue()
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")


def test_pdfs_are_refused_for_several_files_or_jsonl(tmp_path: Path) -> None:
    out = str(tmp_path / "c.pdf")
    with pytest.raises(CommandError) as several:
        call_command("evaluate_dossier", str(DOSSIER), str(DOSSIER), f"--certificate={out}")
    assert several.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("evaluate_dossier", str(DOSSIER), "--format=jsonl", f"--certificate={out}")
    assert not Path(out).exists()


def test_an_unwritable_output_is_an_error_naming_the_path(tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "c.pdf"
    with pytest.raises(CommandError, match="missing-folder") as error:
        call_command("evaluate_dossier", str(DOSSIER), f"--certificate={out}", stdout=StringIO())
    assert error.value.returncode == 2


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/style.css",
        "http://127.0.0.1:8000/static/zerocarbon/app.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"file://{pdf.PROJECT / 'pyproject.toml'}",
        f"file://{pdf.PROJECT / 'reports' / 'static' / '..' / 'pdf.py'}",
    ],
)
def test_the_url_fetcher_refuses_anything_but_the_projects_static_files(url: str) -> None:
    with pytest.raises(pdf.FetchRefused):
        pdf.StaticOnlyFetcher().fetch(url)


def test_the_url_fetcher_serves_the_print_stylesheet() -> None:
    response = pdf.StaticOnlyFetcher().fetch(pdf.PRINT_CSS.as_uri())
    assert b"@page" in response.read()


def test_a_document_asking_for_an_outside_image_is_rendered_without_it() -> None:
    html = '<p>x</p><img src="https://example.com/tracker.png"><img src="file:///etc/passwd">'
    data = pdf.render_pdf(html)
    assert data.startswith(b"%PDF-")
    assert b"/Subtype /Image" not in data
