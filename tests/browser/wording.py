"""One page speaks one language: the labels a flow passes, checked per language.

An English page shows the English msgid of each label checked and no Chinese character in it;
a Chinese page shows a translation of it: Chinese characters, not the English msgid. The flow
records every label on its way and asserts them all at its end, so that a missing translation
is listed with the page it is on instead of stopping the flow at the first page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import Locator

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese(text: str) -> bool:
    return CJK.search(text) is not None


@dataclass
class Wording:
    language: str  # "zh-hans" or "en"
    wrong: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def chinese(self) -> bool:
        return self.language.startswith("zh")

    def label(self, where: str, locator: Locator, msgid: str) -> None:
        """The element shows `msgid` (English) or a Chinese translation of it (Chinese)."""
        text = " ".join(locator.first.inner_text().split()).rstrip(":：")
        self.checked += 1
        if self.chinese and (not has_chinese(text) or msgid in text):
            self.wrong.append(f"{where}: {msgid!r} is shown untranslated as {text!r}")
        elif not self.chinese and (text != msgid or has_chinese(text)):
            self.wrong.append(f"{where}: expected {msgid!r}, the page shows {text!r}")

    def sentence(self, where: str, locator: Locator) -> None:
        """A message (an error, a notice) in the page's language: Chinese characters on a
        Chinese page, none on an English one."""
        text = " ".join(locator.first.inner_text().split())
        self.checked += 1
        if has_chinese(text) != self.chinese:
            self.wrong.append(f"{where}: {text!r} is not in the page's language")

    def assert_one_language(self) -> None:
        assert self.checked, "no label was checked"
        assert not self.wrong, f"{self.language} pages with labels of another language:\n" + (
            "\n".join(self.wrong)
        )
