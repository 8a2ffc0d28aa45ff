"""The project's Hypothesis profiles (ci, dev, deep) for the metering properties too: they are
registered and loaded by tests/properties/conftest.py, which pytest would otherwise load only
for tests under tests/properties (and only after these modules when run alone)."""

from tests.properties import conftest as _profiles  # noqa: F401
