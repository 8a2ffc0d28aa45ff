"""ZeroCarbon project wiring.

The Celery app (zerocarbon.celery) is imported by each tasks module rather than here, where
Celery's Django guide puts it: `shared_task` still binds to it wherever a task is defined or
sent, and a process that sends none (a management command) does not import Celery, kombu and
theirs at start-up. `celery -A zerocarbon` finds the app in zerocarbon.celery by itself.
"""
