"""Driver for the cross-process claim race (test_claims.py): sets Django up, waits for the
start signal (a file appearing; it announces itself ready with
GO_FILE.ready-SLUG), then imports one dossier, and prints the outcome.

    python tests/assessments/race_import.py ORG_SLUG DOSSIER_FILE GO_FILE
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zerocarbon.settings.test")


def main() -> int:
    import django

    django.setup()
    from datetime import date

    from django.utils import translation

    translation.activate("en")  # as the tests' own code (tests/conftest.py): English messages

    from assessments.services.dossier import import_dossier
    from emissions.dossier import load_dossier_file
    from zerocarbon.accounts.models import Organisation
    from zerocarbon.errors import DomainError

    slug, dossier, go = sys.argv[1:4]
    organisation = Organisation.objects.get(slug=slug)
    data = load_dossier_file(dossier)
    Path(f"{go}.ready-{slug}").touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.001)
    try:
        import_dossier(organisation, data, as_of=date(2025, 6, 30))
    except DomainError as error:
        sys.stdout.write("refused: " + "; ".join(f"{e.path} {e.message}" for e in error.errors))
        return 2
    sys.stdout.write("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
