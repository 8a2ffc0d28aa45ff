"""JSON answers with exact numbers: a `Decimal` is written as a JSON number with exactly its
digits (1E+21 as 1000000000000000000000, 0.5880 as 0.588), never through float.

DRF's own encoder turns a Decimal into a float, which keeps 15-17 significant digits: an
evaluation result with 999999999999999999.123 tCO2e would be served as 1e+18. Everything
else (dates, UUIDs, lazy strings, ...) is written as DRF writes it.
"""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from emissions.accounting.exact_json import ExactJSONEncoder


class ExactDRFEncoder(ExactJSONEncoder, JSONEncoder):
    """The exact writer, falling back to DRF's `default` for the types JSON does not know."""


class ExactJSONRenderer(JSONRenderer):
    encoder_class = ExactDRFEncoder
