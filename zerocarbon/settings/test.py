"""Test runs: fast hashing, no network beyond loopback, PostgreSQL when DATABASE_URL names it
(CI always does)."""

from __future__ import annotations

from zerocarbon.settings.base import *  # noqa: F403
from zerocarbon.settings.env import env_int, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="test-only-not-a-secret")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# One folder per pytest-xdist process (gw0, gw1), so that no process sees another's files.
MEDIA_ROOT = VAR_DIR / f"test-media-{env_str('PYTEST_XDIST_WORKER', default='gw0')}"  # noqa: F405

# Test hook: the worker sleeps this long inside the evaluation task, so that a test can kill
# it mid-task (tests/assessments/test_worker.py). Zero everywhere else.
ZEROCARBON_TEST_EVALUATION_DELAY_SECONDS = env_int(
    "ZEROCARBON_TEST_EVALUATION_DELAY_SECONDS", default=0
)
# The same for a PDF render, once it is claimed (tests/faults/).
ZEROCARBON_TEST_RENDER_DELAY_SECONDS = env_int("ZEROCARBON_TEST_RENDER_DELAY_SECONDS", default=0)

# Test hook: the worker sleeps this long after each item of a re-rating chunk, so that a test
# can kill it between two items (tests/faults/test_rerate_faults.py). Zero everywhere else.
ZEROCARBON_TEST_RERATE_DELAY_SECONDS = env_int("ZEROCARBON_TEST_RERATE_DELAY_SECONDS", default=0)
