"""Framework-free accounting kernel: units, factors, category totals and metrics.

Plain Python on plain frozen data (see `inputs.py`, `results.py`, `factors.py`); no Django,
DRF, Celery or WeasyPrint imports here, so that the same code runs in a web request, a Celery
task, the command line and a benchmark, and can be tested without a database.

Entry points: `engine.account`, `library.load_default_factor_set`, `present.present`.
"""
