"""Reading a rendered PDF back with poppler's tools (pdftotext, pdfinfo, pdffonts)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing (Debian's poppler-utils)"
    return found


def _run(tool: str, path: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603  (poppler on a file the test wrote)
        [_tool(tool), *args, str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode()


def text(path: Path) -> str:
    return _run("pdftotext", path, "-layout")


def info(path: Path) -> dict[str, str]:
    done = subprocess.run([_tool("pdfinfo"), str(path)], capture_output=True, check=True)  # noqa: S603
    rows = (line.split(":", 1) for line in done.stdout.decode().splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in rows}


def pages(path: Path) -> int:
    return int(info(path)["Pages"])


def embedded_fonts(path: Path) -> list[str]:
    """The names of the fonts embedded in the PDF (pdffonts' `emb` column is yes)."""
    done = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, check=True)  # noqa: S603
    rows = done.stdout.decode().splitlines()[2:]
    return [row.split()[0] for row in rows if " yes " in row[36:]]


def write(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path


def a4_orientation(path: Path) -> str:
    """`landscape` or `portrait` for an A4 page size, `not A4` otherwise."""
    size = info(path)["Page size"]
    if not size.endswith("(A4)"):
        return "not A4"
    width, height = (float(part) for part in size.split(" pts")[0].split(" x "))
    return "landscape" if width > height else "portrait"
