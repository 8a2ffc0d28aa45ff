"""manage.py starts without the garbage collector and turns it back on once every model is
imported (zerocarbon/startup.py): the command itself runs with it, and start-up's objects are
set aside from it."""

from __future__ import annotations

import gc

import pytest

from tests.conftest import run_manage
from zerocarbon import startup

REPORT = (
    "import gc; print(gc.isenabled(), gc.get_freeze_count() > 0, gc.get_stats()[2]['collections'])"
)


@pytest.mark.django_db(transaction=True)
def test_a_command_runs_with_the_collector_on_and_no_full_pass_was_spent_on_start_up() -> None:
    done = run_manage("shell", "-v", "0", "-c", REPORT)
    assert done.returncode == 0, done.stderr
    # On, start-up's objects frozen, and not one collection of the oldest generation so far.
    assert done.stdout.split() == ["True", "True", "0"]


def test_resuming_leaves_a_process_the_collector_was_not_paused_in_as_it_is() -> None:
    frozen = gc.get_freeze_count()
    startup.resume_collector()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
