"""The evaluation kernel, free of Django: a read dossier in, the spec's result out.

- `engine`: `evaluate`, the one computation every result comes from, and the canonical
  JSON / hashing rules of stored evaluations;
- `whatif`: hypothetical changes (`Changes`) applied to the kernel's inputs;
- `summary`: the bilingual text summary of a result (`evaluate_dossier --format text`).

Nothing is re-exported here: import from the module.
"""
