"""The one error shape of dossier reading: a JSON path and what is wrong there."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DossierError:
    """`path` is a JSON pointer (`/energy/2/unit`, "" for the whole document). Both are valid
    Unicode text even when they quote a key or value that is not (an unpaired surrogate is
    written as its escape `\\ud800`), so that every answer can be encoded."""

    path: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


def printable(text: str) -> str:
    """`text` with unpaired surrogates replaced by their escapes."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class DossierInvalid(Exception):
    """The dossier breaks a reading rule; `errors` lists every breach, sorted by path."""

    def __init__(self, errors: Iterable[DossierError]) -> None:
        self.errors: list[DossierError] = sorted_errors(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path parts. Most parts need no escape: then it is the
    parts joined, which is exactly so when the text holds no "~" and one "/" per part (the
    semantic checks make some thirty pointers for each sound dossier)."""
    if not parts:
        return ""
    text = "/" + "/".join(map(str, parts))
    if "~" in text or text.count("/") != len(parts):
        return escaped_pointer(parts)
    return text


def escaped_pointer(parts: tuple[str | int, ...]) -> str:
    """A JSON pointer with each part escaped ("~" as "~0", "/" as "~1"): the definition."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _path_key(path: str) -> tuple[tuple[int, int, str], ...]:
    # Array indices sort as numbers: /energy/2 comes before /energy/10.
    return tuple(
        (0, int(part), "") if re.fullmatch(r"[0-9]+", part) else (1, 0, part)
        for part in path.split("/")[1:]
    )


def sorted_errors(errors: Iterable[DossierError]) -> list[DossierError]:
    """Errors without repeats, sorted by path (stable: the first found stays first)."""
    unique = list(dict.fromkeys(errors))
    return sorted(unique, key=lambda error: _path_key(error.path))
