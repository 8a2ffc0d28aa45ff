"""Writes of the assessments app, one module per concern (nothing is re-exported here).

- `workflow`: create, submit, reopen; the submission outbox and its sweep; failure messages;
- `evaluation`: evaluate and record (the worker), the live `preview` and `what_if` (unsaved);
- `dossier`: read, evaluate (`evaluate_full`, the one entry point), import and export a dossier.
"""
