"""Fails unless every framework-free kernel has 100 % line and branch coverage."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

KERNELS = (
    "emissions/accounting/",
    "assessments/scoring/",
    "emissions/dossier/",
    "emissions/identifiers.py",
    "emissions/limits.py",
    "emissions/metering/",
    "assessments/evaluation/",
    "reports/context.py",
)


def main() -> int:
    report = ET.parse(Path(sys.argv[1]))  # noqa: S314 - our own coverage report
    gaps = []
    seen = 0
    for cls in report.iter("class"):
        filename = cls.get("filename", "")
        if not filename.startswith(KERNELS):
            continue
        seen += 1
        line_rate = float(cls.get("line-rate", "0"))
        branch_rate = float(cls.get("branch-rate", "0"))
        if line_rate < 1 or branch_rate < 1:
            gaps.append(f"{filename}: lines {line_rate:.1%}, branches {branch_rate:.1%}")
    if seen == 0:
        print("kernel coverage: no kernel files in the report", file=sys.stderr)
        return 1
    for gap in gaps:
        print(f"kernel coverage below 100 %: {gap}", file=sys.stderr)
    if not gaps:
        print(f"kernel coverage: 100 % lines and branches in {seen} files")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
