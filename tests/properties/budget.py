"""How many examples each property runs: a share of the loaded profile's `max_examples`
(tests/properties/conftest.py loads it before any test module is imported), so that the
profiles scale every property alike and the database properties stay affordable."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def budget(share: float = 1.0, *, django_fixtures: bool = False) -> settings:
    """Settings for one property: `share` of the profile's examples. With Django fixtures
    (a database, a logged-in client), each example undoes its own writes (a savepoint), so
    that the fixture being shared by the examples is harmless."""
    profile = settings.default
    assert profile is not None, "tests/properties/conftest.py loads a profile"
    checks = list(profile.suppress_health_check)
    if django_fixtures:
        checks.append(HealthCheck.function_scoped_fixture)
    return settings(
        profile,
        max_examples=max(1, round(profile.max_examples * share)),
        suppress_health_check=checks,
    )
