"""Hypothesis profiles of the property tests (tests/properties/).

- `ci` (selected when CI=true): a fixed seed (derandomize), a bounded number of examples, no
  example database, no deadline, no shrinking: the same examples on every run, well under a
  minute even when a property fails (shrinking one failure can take minutes; the failing
  example is printed as found; `ci-shrink` runs the same examples and shrinks a failure).
- `dev` (the default elsewhere): random examples, as many as `ci`; failures are remembered
  under var/hypothesis/ and tried first on the next run.
- `deep`: random, 2,000 examples for each cheap property (the costly ones run a share of that,
  see `tests.properties.budget` and each test's `@budget`); minutes, not seconds.

`HYPOTHESIS_PROFILE` overrides the choice. To look for trouble locally:

    HYPOTHESIS_PROFILE=deep DATABASE_URL=postgres://zerocarbon@127.0.0.1:5432/zc_prop \\
        .venv/bin/pytest -p no:cacheprovider -q tests/properties --hypothesis-show-statistics

and to replay CI exactly: `CI=true .venv/bin/pytest … tests/properties` (or
HYPOTHESIS_PROFILE=ci); HYPOTHESIS_PROFILE=ci-shrink gives the minimal form of what CI found.
`--hypothesis-seed=N` repeats a random run.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase

ROOT = Path(__file__).resolve().parents[2]
# Large generated documents (10,000-character strings, 25-line lists) are the point.
_SLOW_INPUTS = (HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example)
CI_EXAMPLES = 120

settings.register_profile(
    "ci",
    max_examples=CI_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target),
    print_blob=False,
    suppress_health_check=_SLOW_INPUTS,
)
settings.register_profile("ci-shrink", settings.get_profile("ci"), phases=tuple(Phase))
settings.register_profile(
    "dev",
    max_examples=CI_EXAMPLES,
    database=DirectoryBasedExampleDatabase(ROOT / "var" / "hypothesis"),
    deadline=None,
    suppress_health_check=_SLOW_INPUTS,
)
settings.register_profile("deep", settings.get_profile("dev"), max_examples=2_000)


def _profile() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").lower() == "true" else "dev"


settings.load_profile(_profile())
