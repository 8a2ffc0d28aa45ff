"""Named domain errors of the accounting kernel.

The interfaces map every `AccountingError` to one JSON error shape, so each error says what is
wrong in words a consultant understands, and none of them is used for control flow inside the
kernel.
"""

from __future__ import annotations


class AccountingError(Exception):
    """Base class of every error the accounting kernel raises on purpose."""


class MalformedFactorSet(AccountingError):
    """A factor-set document does not have the expected shape or values."""


class UnknownUnit(AccountingError):
    """A unit string is not one the platform accepts."""


class IncompatibleUnit(AccountingError):
    """Two units measure different things (energy and mass, Nm3 and m3 ...)."""


class UnknownProvince(AccountingError):
    """A province name or code is not one of the 31 mainland provinces."""


class UnknownCarrier(AccountingError):
    """An energy carrier is neither a fixed carrier nor a fuel of the factor set."""


class UnknownGas(AccountingError):
    """A gas or blend is not in the factor set's GWP tables."""


class UnknownGwpSet(AccountingError):
    """The inventory asks for a GWP set the factor set does not have."""


class MissingFactor(AccountingError):
    """The factor set lacks a value the calculation cannot do without."""


class InvalidInventory(AccountingError):
    """An inventory line breaks a rule the dossier reader should already have enforced."""
