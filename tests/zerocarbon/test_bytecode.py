"""The image's processes read the project's compiled bytecode (issue 11, start-up).

The image sets PYTHONDONTWRITEBYTECODE and its processes import the sources in /app, so
nothing would ever cache their bytecode: each process would compile the whole project again.
The Dockerfile compiles every package once, after the sources are in place. A process that
finds the cache uses it even when it may not write one, which the second test pins."""

from __future__ import annotations

import os
import py_compile
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT


def root_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages: list[str] = config["tool"]["importlinter"]["root_packages"]
    return packages


def test_the_image_compiles_every_package_after_copying_the_sources() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    copied = lines.index("COPY . .")
    compiled = [n for n, line in enumerate(lines) if line.startswith("RUN python -m compileall")]
    assert len(compiled) == 1
    assert compiled[0] > copied
    named = {word for word in lines[compiled[0]].split()[4:] if not word.startswith("-")}
    assert named == set(root_packages())


def test_a_process_that_may_not_write_bytecode_still_reads_the_compiled_cache(
    tmp_path: Path,
) -> None:
    module = tmp_path / "compiled_here.py"
    module.write_text("VALUE = 'source'\n", encoding="utf-8")
    written = py_compile.compile(str(module), doraise=True)
    assert written is not None
    # The source changes but keeps its size and time stamp, which is all the cache checks: the
    # value printed says which of the two the process ran.
    stat = module.stat()
    module.write_text("VALUE = 'SOURCE'\n", encoding="utf-8")
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    done = subprocess.run(
        [sys.executable, "-c", "import compiled_here; print(compiled_here.VALUE)"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(written).exists()
    assert done.stdout == "source\n"
