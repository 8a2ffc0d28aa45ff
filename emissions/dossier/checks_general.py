"""Semantic checks of the factory, the period and the intensity and reduction data."""

from __future__ import annotations

from collections.abc import Iterator

from emissions.accounting.errors import UnknownProvince
from emissions.accounting.regions import normalise_province
from emissions.accounting.translation import gettext as _
from emissions.accounting.translation import gettext_noop
from emissions.dossier.context import Context, Item
from emissions.dossier.errors import DossierError
from emissions.identifiers import credit_code_problem


def check_factory(ctx: Context) -> Iterator[DossierError]:
    factory = ctx.object("factory")
    if factory is None:
        return
    code = factory.text("credit_code")
    problem = None if code is None else credit_code_problem(code)
    if problem is not None:
        yield DossierError(factory.at("credit_code"), problem)
    province = factory.text("province")
    if province is not None:
        try:
            normalise_province(province)
        except UnknownProvince as error:
            yield DossierError(factory.at("province"), str(error))


_EVALUATION_YEAR = gettext_noop("the evaluation date's year")
_DOSSIER_YEAR = gettext_noop("the dossier's year")


def _not_after(item: Item, key: str, limit: int | None, what: str) -> Iterator[DossierError]:
    value = item.integer(key)
    if value is not None and limit is not None and value > limit:
        message = _("{key} {value} is after {what} {limit}")
        yield DossierError(
            item.at(key), message.format(key=key, value=value, what=_(what), limit=limit)
        )


def check_period(ctx: Context) -> Iterator[DossierError]:
    evaluation_year = ctx.as_of.year
    yield from _not_after(ctx.root(), "year", evaluation_year, _EVALUATION_YEAR)
    baseline = ctx.object("baseline")
    if baseline is not None:
        yield from _not_after(baseline, "year", ctx.year, _DOSSIER_YEAR)
    for measure in ctx.items("reduction_measures"):
        yield from _not_after(measure, "implemented_in", evaluation_year, _EVALUATION_YEAR)
