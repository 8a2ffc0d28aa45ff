"""The consultant's way from an empty dashboard to a rated inventory, step by step, as the
browser tests of issue 9 walk it in Chinese and in English (tests/browser/
test_consultant_flow.py). Each step acts through the page only (links, labels, form fields by
the ids of their document paths), asserts what the consultant would see and keeps a
screenshot `<language>-<step>-<what>.png` under tests/artefacts/browser/."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from assessments.demo import one_page_pdf
from emissions.identifiers import credit_code_check_character
from tests.browser import workbook
from tests.browser.wording import Wording


def evidence_pdf() -> bytes:
    """A one-page PDF built in code (the repository holds no PDF file)."""
    return one_page_pdf()


EVIDENCE_PDF = {"name": "evidence.pdf", "mimeType": "application/pdf", "buffer": evidence_pdf()}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Shot = Callable[[Page, str], Path]
YEAR = "2023"  # the year of the example's data (vintages 2023, retirement 2024)
# The diesel line (index 3 of the example's energy) typed with a decimal comma.
BAD_CELL = workbook.BadCell("energy", 3, "quantity", "12,4")


def credit_code(body: str) -> str:
    """A valid GB 32100-2015 code: 17 characters and their check character."""
    return body + credit_code_check_character(body)


def _pk(page: Page, pattern: str) -> int:
    found = re.search(pattern, page.url)
    assert found, f"{page.url} does not match {pattern}"
    return int(found.group(1))


@dataclass
class ConsultantFlow:
    page: Page
    shot: Shot
    wording: Wording
    factory_name: str  # the Chinese legal name
    name_en: str
    code: str
    serial_block: int
    factory: int = 0
    inventory: int = 0
    assessment: int = 0
    step: int = 0
    template: bytes = b""
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def tag(self) -> str:
        return "zh" if self.wording.chinese else "en"

    def snap(self, what: str, page: Page | None = None) -> None:
        self.step += 1
        self.shot(page or self.page, f"{self.tag}-{self.step:02d}-{what}")

    # 1. Dashboard and factory

    def dashboard(self) -> None:
        page = self.page
        page.goto("/")
        expect(page.locator("html")).to_have_attribute(
            "lang", "zh-Hans" if self.wording.chinese else "en"
        )
        self.wording.label("dashboard", page.locator("main h1"), "My factories")
        self.snap("dashboard")
        page.locator("main a[href='/factories/new/']").first.click()
        expect(page).to_have_url(re.compile(r"/factories/new/$"))

    def create_factory(self) -> None:
        page = self.page
        self.wording.label(
            "factory form", page.locator("label[for=id_name]"), "Legal name (Chinese)"
        )
        self.wording.label(
            "factory form", page.locator("label[for=id_credit_code]"), "Unified social credit code"
        )
        page.locator("#id_name").fill(self.factory_name)
        page.locator("#id_name_en").fill(self.name_en)
        wrong = self.code[:-1] + ("1" if self.code[-1] != "1" else "2")  # a wrong check
        page.locator("#id_credit_code").press_sequentially(wrong, delay=5)
        expect(page.locator("#credit-code-check .code-check.bad")).to_be_visible()
        page.locator("#id_credit_code").fill(self.code)
        page.locator("#id_credit_code").dispatch_event("input")
        expect(page.locator("#credit-code-check .code-check.good")).to_be_visible()
        page.locator("#id_province").select_option("江苏")
        page.locator("#id_industry").fill("C34")
        self.snap("factory-form")
        page.locator("form.factory-form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/factories/\d+/$"))
        self.factory = _pk(page, r"/factories/(\d+)/$")
        expect(page.locator("main h1")).to_contain_text(self.factory_name)
        self.snap("factory")

    # 2. A new inventory and its energy

    def create_inventory(self) -> None:
        page = self.page
        page.locator(f"main a[href='/factories/{self.factory}/inventories/new/']").first.click()
        self.wording.label("new inventory", page.locator("label[for=f-year]"), "Year")
        self.wording.label("new inventory", page.locator("label[for=f-boundary]"), "Boundary")
        page.locator("#f-year").fill(YEAR)
        page.locator("#f-boundary").select_option("II")
        self.snap("new-inventory")
        page.locator("main form button.primary").click()
        expect(page).to_have_url(re.compile(r"/inventories/\d+/edit/$"))
        self.inventory = _pk(page, r"/inventories/(\d+)/edit/$")
        panel = page.locator("#result-panel").get_attribute("hx-get") or ""
        self.assessment = int(re.findall(r"\d+", panel)[0])

    def energy_with_one_invalid_entry(self) -> None:
        """Grid electricity in tonnes: refused at the unit; in MWh: saved."""
        page = self.page
        page.locator("#editor-nav a[href$='/sections/energy/']").click()
        expect(page).to_have_url(re.compile(r"/sections/energy/$"))
        body = page.locator("#section-body")
        self.wording.label("energy", body.locator("h2"), "Energy")
        self.wording.label("energy", body.locator("table.editor-rows thead th").nth(1), "Carrier")
        page.locator("#f-energy-0-carrier").select_option("grid_electricity")
        carrier = page.locator("#f-energy-0-carrier option[value=grid_electricity]")
        self.wording.label("energy", carrier, "Grid electricity")
        page.locator("#f-energy-0-quantity").fill("12500")
        page.locator("#f-energy-0-unit").select_option("t")
        self.wording.label("energy", body.locator("button[value=save]"), "Save")
        body.locator("button[value=save]").click()
        unit = page.locator("#section-body td.c-unit.error")
        expect(unit.locator("ul.errorlist li")).to_be_visible()
        expect(page.locator("#f-energy-0-unit")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#f-energy-0-quantity")).to_have_value("12500")  # nothing lost
        expect(page.locator("#editor-nav a.has-errors")).to_contain_text("1")
        self.wording.sentence("energy error at the unit", unit.locator("ul.errorlist li"))
        self.snap("energy-error")
        page.locator("#f-energy-0-unit").select_option("MWh")
        page.locator("#section-body button[value=save]").click()
        expect(page.locator("#section-body .notice.ok")).to_be_visible()
        expect(page.locator("#section-body ul.errorlist")).to_have_count(0)
        expect(page.locator("#f-energy-0-unit")).to_have_value("MWh")
        self.snap("energy-saved")

    # 3. Evidence

    def upload_evidence(self, reference: str) -> None:
        page = self.page
        page.locator("#editor-nav a[href$='/evidence/']").click()
        self.wording.label("evidence", page.locator("#evidence-body h2"), "Evidence files")
        page.locator("#id_kind").select_option("certificate")
        page.locator("#id_reference").fill(reference)
        page.locator("#id_file").set_input_files(EVIDENCE_PDF)  # type: ignore[arg-type]
        page.locator("#evidence-body form button[type=submit]").click()
        row = page.locator("table.evidence-list tbody tr", has_text=reference)
        expect(row).to_be_visible()
        expect(row.locator("code.hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        self.snap("evidence")

    # 4. Spreadsheet: template, a bad cell, the fix, confirm

    def download_template(self) -> None:
        page = self.page
        page.locator("#editor-head a[href$='/import/']").click()  # from the editor's head
        expect(page).to_have_url(re.compile(rf"/inventories/{self.inventory}/import/$"))
        link = page.locator("main a[href$='spreadsheet-template.xlsx']")
        self.wording.label("import", link, "Download the spreadsheet template (.xlsx)")
        self.snap("import")
        with page.expect_download() as download:
            link.click()
        path = download.value.path()
        assert download.value.suggested_filename.endswith(f"-{YEAR}.xlsx")
        self.template = Path(path).read_bytes()
        assert workbook.keyed_value(self.template, "inventory", "factory.credit_code") == self.code
        assert workbook.keyed_value(self.template, "inventory", "boundary") == "II"

    def import_with_one_bad_cell(self) -> None:
        document = workbook.rated_example(
            serial_block=self.serial_block, beneficiary=self.factory_name
        )
        self.notes["document"] = document
        self._upload(workbook.filled(self.template, document, BAD_CELL), "with-a-bad-cell")
        table = self.page.locator("table.import-errors")
        expect(table).to_be_visible()
        rows = table.locator("tbody tr")
        expect(rows).to_have_count(1)
        cells = rows.first.locator("td")
        expect(cells.nth(0)).to_have_text(BAD_CELL.sheet)
        expect(cells.nth(1)).to_have_text(str(BAD_CELL.row))
        expect(cells.nth(2)).to_contain_text(BAD_CELL.key)
        expect(cells.nth(2)).to_contain_text(BAD_CELL.cell)
        expect(cells.nth(3)).to_have_text(BAD_CELL.text)
        heads = table.locator("thead th")
        for index, msgid in enumerate(("Sheet", "Row", "Column")):
            self.wording.label("import errors", heads.nth(index), msgid)
        self.wording.sentence("import error", cells.nth(4))
        self.snap("import-error")

    def import_fixed_and_confirm(self) -> None:
        page = self.page
        self._upload(workbook.filled(self.template, self.notes["document"]), "fixed")
        changes = page.locator("table.import-changes tbody tr")
        expect(changes.first).to_be_visible()
        expect(page.locator("table.import-changes")).to_contain_text("credits")
        expect(page.locator("table.import-errors")).to_have_count(0)
        self.snap("import-preview")
        page.locator("form[action$='/confirm/'] button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/inventories/{self.inventory}/edit/$"))

    def _upload(self, content: bytes, name: str) -> None:
        page = self.page
        if not page.url.endswith("/import/"):
            page.locator("main a[href$='/import/']").first.click()  # "Back to imports"
        upload = {"name": f"inventory-{name}.xlsx", "mimeType": XLSX, "buffer": content}
        page.locator("#id_file").set_input_files(upload)  # type: ignore[arg-type]
        page.locator("form.import-form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/imports/\d+/$"))

    # 5. Live result, what-if, submit, the evaluation

    def live_result(self) -> str:
        page = self.page
        level = page.locator("#result-panel .results-level .stars")
        expect(level).to_have_text(re.compile("^★+$"))
        self.wording.label("live panel", page.locator("#result-panel h3"), "Live result")
        self.snap("live-result")
        return level.inner_text()

    def what_if(self, green_mwh: str, answers: dict[str, str]) -> str:
        """More green electricity and changed answers: the level they would reach."""
        page = self.page
        form = page.locator("#what-if form").first
        self.wording.label(
            "what-if",
            page.locator("label[for=id_extra_green_mwh]"),
            "Green electricity to add (MWh)",
        )
        form.locator("#id_extra_green_mwh").fill(green_mwh)
        for row, (item, value) in enumerate(answers.items()):
            form.locator(f"#id_item_{row}").select_option(item)
            form.locator(f"#id_value_{row}").fill(value)
        form.locator("button[type=submit]").click()
        level = page.locator("#what-if .what-if-level .stars")
        expect(level).to_have_text(re.compile("^★+$"))
        self.snap("what-if")
        return level.inner_text()

    def submit(self) -> str:
        """Submitted from the editor's head: the evaluation runs (in-process in tests) and
        the assessment page shows its level."""
        page = self.page
        button = page.locator("#editor-head form[action$='/submit/'] button[type=submit]")
        self.wording.label("editor", button, "Submit for evaluation")
        button.click()
        expect(page).to_have_url(re.compile(rf"/assessments/{self.assessment}/$"))
        stars = page.locator(".stat .stars").first
        expect(stars).to_have_text(re.compile("^★+$"))
        self.wording.label("assessment", page.locator(".stat .label").first, "Star level")
        self.snap("assessment")
        return stars.inner_text()

    def evaluation(self, page: Page | None = None, what: str = "evaluation") -> str:
        page = page or self.page
        page.goto(f"/assessments/{self.assessment}/")
        page.locator("main a[href^='/evaluations/']").first.click()
        expect(page).to_have_url(re.compile(r"/evaluations/\d+/$"))
        stars = page.locator(".stat .stars").first
        expect(stars).to_have_text(re.compile("^★+$"))
        self.wording.label(what, page.locator(".stat .label").first, "Star level")
        self.snap(what, page)
        return stars.inner_text()

    def dashboard_level(self) -> str:
        """Back on the dashboard: the factory's row with its year and level."""
        page = self.page
        page.locator("header a[href='/']").first.click()
        row = page.locator("table.dashboard tbody tr", has_text=self.factory_name)
        expect(row).to_contain_text(YEAR)
        shown = self.factory_name if self.wording.chinese else self.name_en
        expect(row.locator("td a").first).to_have_text(shown)  # the page's language first
        self.snap("dashboard-rated")
        return row.locator(".stars").inner_text()


def fits_the_width(page: Page) -> bool:
    """Nothing wider than the viewport: tables scroll inside their .table-wrap."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"] if page.viewport_size else False
