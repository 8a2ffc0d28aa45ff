"""A command-line process starts without the cyclic garbage collector (issue 11, start-up).

Start-up (the settings, Django, every model, the command's modules) creates hundreds of
thousands of objects that live as long as the process: modules, classes, functions. The
collector's passes over them, one full pass included, find next to nothing, and cost about a
twentieth of a fresh `evaluate_dossier` process. So `manage.py` pauses the collector before
it imports Django, and the first app's `ready()` (`zerocarbon.apps.AdminConfig`), which runs
once every model is imported, resumes it. The objects made so far are then set aside from
it (`gc.freeze`): they are start-up's, and walking them again in every full pass of a long
command would cost the same for nothing. What start-up left in cycles stays until the process
ends, a bounded amount, once.

A process the collector was not paused in (the web server, the worker, the tests) is left
as it is: resuming does nothing there.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    """Turn the collector off until `resume_collector`, if it is on."""
    global _paused  # noqa: PLW0603 - one flag per process, set once at start-up
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Turn the collector back on if `pause_collector` turned it off, with the objects made
    so far set aside from it."""
    global _paused  # noqa: PLW0603 - see pause_collector
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
