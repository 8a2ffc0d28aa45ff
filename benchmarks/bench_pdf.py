"""Rendering the certificate and the full report of the worked rated example, warm.

Targets (issue 10): certificate ≤ 0.15 s and full report ≤ 1 s (median, warm) on the 2-core
machine, certificate PDF ≤ 300 KB. The certificate is timed as issued (number, QR code) and as
a draft, in Chinese and English. Needs the rubric in the database (DATABASE_URL; `make bench`
and CI use PostgreSQL): the dossier is read and evaluated in memory, nothing is saved. Fails
(exit 1) when libharfbuzz-subset is missing, since then CJK fonts are subset in Python.

Under `make bench` this script runs last, after benchmarks that leave PostgreSQL (autovacuum,
checkpoints) and the workers busy for a while, and a render's wall time counts the CPU it
waited for. So it first waits, at most 60 s (`harness.settle`), until the rest of the machine uses
under a third of a core; each line prints the render's own CPU time beside its wall time,
and the end names the other processes that used the CPU while the renders were timed.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_pdf.py [rounds]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zerocarbon.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from assessments.evaluation.engine import record_sha256  # noqa: E402
from assessments.services import dossier  # noqa: E402
from emissions import selectors as emission_selectors  # noqa: E402
from emissions.dossier import load_dossier_file  # noqa: E402
from reports.context import CertificateFields, Record  # noqa: E402
from reports.documents import pdf_bytes  # noqa: E402
from reports.pdf import fast_font_subsetting  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402

DOSSIER = ROOT / "assessments" / "demo_data" / "demo-rated-dossier.json"
AS_OF = date(2025, 6, 30)
ISSUED = CertificateFields("ZCF-2025-000123", date(2025, 7, 1), date(2024, 12, 31), "valid")
LIMITS = {"certificate": 0.15, "report": 1.0}
MAX_CERTIFICATE_BYTES = 300 * 1024


def _renderer() -> Callable[..., bytes]:
    full = dossier.read_full_dossier(load_dossier_file(str(DOSSIER)), as_of=AS_OF)
    evaluated = dossier.evaluate_full(full, as_of=AS_OF)
    inputs, result, values = evaluated.inputs, evaluated.result, evaluated.factor_values
    record = Record(result, inputs, values, record_sha256(inputs, result, values))
    factors = emission_selectors.kernel_factor_set(full.factor_set)

    def render(kind: str, language: str, certificate: CertificateFields | None) -> bytes:
        return pdf_bytes(
            record,
            kind=kind,
            language=language,
            rubric=full.scoring_rubric,
            factors=factors,
            certificate=certificate,
        )

    return render


def _time(
    render: Callable[..., bytes], rounds: int, *args: object
) -> tuple[list[float], list[float], int]:
    """Wall and CPU seconds of each warm render, and the PDF's size."""
    render(*args)  # warm: fonts, templates, translations
    samples, cpu, size = [], [], 0
    for _round in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        size = len(render(*args))
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return samples, cpu, size


def _peaks(render: Callable[..., bytes], rounds: int) -> list[float]:
    """This process's RSS high-water mark during a Chinese report render, MiB (warm)."""
    peaks = []
    for _round in range(rounds):
        harness.reset_peak(os.getpid())
        render("report", "zh-hans", None)
        peaks.append(harness.status_kib(os.getpid(), "VmHWM") / 1024)
    return peaks


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    if not fast_font_subsetting():
        sys.exit("libharfbuzz-subset is missing (apt-get install libharfbuzz-subset0)")
    call_command("migrate", verbosity=0)
    render, failed = _renderer(), False
    harness.settled()
    before, timing = harness.cpu_ticks(), time.perf_counter()
    figures = []
    for kind, certificate, label in (
        ("certificate", ISSUED, "certificate (issued)"),
        ("certificate", None, "certificate (draft)"),
        ("report", None, "full report (draft)"),
    ):
        for language in ("zh-hans", "en"):
            samples, cpu, size = _time(render, rounds, kind, language, certificate)
            median, cpu_median = statistics.median(samples), statistics.median(cpu)
            key = f"pdf_{label.split()[0]}_{'draft' if certificate is None else 'issued'}"
            figures.append(
                harness.figure(
                    f"{key}_{language}_s",
                    f"{label} {language}",
                    "s",
                    samples,
                    ("<=", LIMITS[kind]),
                    f"{size / 1024:.0f} KB, CPU median {cpu_median:.3f} s",
                )
            )
            figures.append(harness.figure(f"{key}_{language}_kb", f"{label} {language} size",
                                          "KB", [size / 1024], ("<=", 300) if kind == "certificate"
                                          else None, "PDF bytes"))  # fmt: skip
            over = median > LIMITS[kind] or (kind == "certificate" and size > MAX_CERTIFICATE_BYTES)
            failed |= over
            mark = "OVER" if over else "ok"
            print(
                f"{label:22} {language:8} median {median:.3f} s (CPU {cpu_median:.3f} s)"
                f"  {size / 1024:7.1f} KB  {mark}"
            )
    print(f"limits: certificate ≤ {LIMITS['certificate']} s and ≤ 300 KB, report ≤ 1 s")
    elapsed = time.perf_counter() - timing
    busiest = [f"{spent:.1f} s {name}" for name, spent in harness.others(before)][:5]
    print(f"other processes' CPU in the {elapsed:.0f} s of timing: {'; '.join(busiest) or 'none'}")
    figures.append(
        harness.figure(
            "pdf_report_peak_rss_mib",
            "report render peak RSS",
            "MiB",
            _peaks(render, 3),
            None,
            "VmHWM of the rendering process",
        )
    )
    harness.write(figures)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
