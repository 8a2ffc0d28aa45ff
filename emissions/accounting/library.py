"""The factor library: read a versioned factor-set document into a frozen `FactorSet`.

Factor sets are data, not code (emission-factors.md: "versioned, dated data with a source on
every value"), so the reader is strict: every value must be a decimal *string* (a JSON float
would already have lost digits), every key must be known, and every value must carry its
source and confidence. A malformed document raises `MalformedFactorSet` naming the JSON path.
The default set `CN-2025.1` ships as `emissions/data/CN-2025.1.json`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn

from .carriers import FIXED_CARRIERS
from .errors import MalformedFactorSet, UnknownUnit
from .factors import FactorSet, FuelFactor, GridFactor
from .regions import PROVINCE_REGION, REGIONS
from .translation import gettext as _
from .units import canonical_unit

SCHEMA = "zerocarbon.factor-set/1"
DEFAULT_FACTOR_SET_PATH = Path(__file__).resolve().parent.parent / "data" / "CN-2025.1.json"
CONFIDENCES = ("confirmed", "likely", "derived")
SCOPES = ("national", "regional", "provincial")
KINDS = ("location", "residual")

_TOP_KEYS = frozenset(
    {"schema", "version", "source_notes", "fuels", "grid_factors", "gwp", "gas_aliases"}
    | {"blends", "heat"}
)
_FUEL_KEYS = frozenset(
    {"name_zh", "unit", "ncv_gj_per_unit", "carbon_content_tc_per_gj", "oxidation_fraction"}
    | {"confidence", "source"}
)
_GRID_KEYS = frozenset(
    {"scope", "area", "year", "kind", "value_tco2_per_mwh", "confidence", "source"}
)
_GWP_KEYS = frozenset({"values", "confidence", "source"})
_ALIAS_KEYS = frozenset({"aliases", "source"})
_BLEND_KEYS = frozenset({"components", "confidence", "source"})
_HEAT_KEYS = frozenset({"factor_tco2_per_gj", "confidence", "source"})
_ONE = Decimal(1)
_AREAS = {"national": ("",), "regional": REGIONS, "provincial": tuple(PROVINCE_REGION)}


def _fail(path: str, message: str) -> NoReturn:
    raise MalformedFactorSet(
        _("factor set {path}: {message}").format(path=path or "/", message=message)
    )


def _mapping(value: object, path: str, *, empty: bool = False) -> dict[str, object]:
    if not isinstance(value, dict) or not (empty or value):
        _fail(path, _("expected an object") if empty else _("expected a non-empty object"))
    return value


def _object(value: object, path: str, keys: frozenset[str]) -> dict[str, object]:
    obj = _mapping(value, path)
    if missing := sorted(keys - obj.keys()):
        _fail(path, _("missing key(s) {keys}").format(keys=", ".join(missing)))
    if unknown := sorted(obj.keys() - keys):
        _fail(path, _("unknown key(s) {keys}").format(keys=", ".join(unknown)))
    return obj


def _text(value: object, path: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or not (empty or value.strip()):
        _fail(path, _("expected a non-empty string"))
    return value


def _choice(value: object, path: str, options: tuple[str, ...]) -> str:
    if value not in options:
        message = _("expected one of {options}, got {value!r}")
        _fail(path, message.format(options=", ".join(options), value=value))
    return str(value)


def _decimal(value: object, path: str, *, at_most: Decimal | None = None) -> Decimal:
    if not isinstance(value, str):
        _fail(
            path, _('expected a decimal string such as "0.5306", got {value!r}').format(value=value)
        )
    try:
        number = Decimal(value)
    except InvalidOperation:
        _fail(path, _("{value!r} is not a decimal number").format(value=value))
    if not number.is_finite() or number <= 0:
        _fail(path, _("expected a positive number, got {value!r}").format(value=value))
    if at_most is not None and number > at_most:
        _fail(
            path,
            _("expected at most {at_most}, got {value!r}").format(at_most=at_most, value=value),
        )
    return number


def _fuel(code: str, value: object, path: str) -> FuelFactor:
    if code in FIXED_CARRIERS:
        _fail(
            path, _("{code!r} is an energy carrier of its own, not a fuel code").format(code=code)
        )
    obj = _object(value, path, _FUEL_KEYS)
    try:
        unit = canonical_unit(_text(obj["unit"], f"{path}/unit"))
    except UnknownUnit as error:
        _fail(f"{path}/unit", str(error))
    return FuelFactor(
        code=code,
        name_zh=_text(obj["name_zh"], f"{path}/name_zh"),
        unit=unit,
        ncv_gj_per_unit=_decimal(obj["ncv_gj_per_unit"], f"{path}/ncv_gj_per_unit"),
        carbon_content_tc_per_gj=_decimal(
            obj["carbon_content_tc_per_gj"], f"{path}/carbon_content_tc_per_gj"
        ),
        oxidation_fraction=_decimal(
            obj["oxidation_fraction"], f"{path}/oxidation_fraction", at_most=_ONE
        ),
        confidence=_choice(obj["confidence"], f"{path}/confidence", CONFIDENCES),
        source=_text(obj["source"], f"{path}/source"),
    )


def _area(scope: str, value: object, path: str) -> str:
    area = _text(value, path, empty=True)
    if area not in _AREAS[scope]:
        message = _(
            "{area!r} is not an area of scope {scope}: use '' for national, a region code"
            " (north ...) for regional, a province short name (江苏) for provincial"
        )
        _fail(path, message.format(area=area, scope=scope))
    return area


def _grid_factor(value: object, path: str) -> GridFactor:
    obj = _object(value, path, _GRID_KEYS)
    scope = _choice(obj["scope"], f"{path}/scope", SCOPES)
    kind = _choice(obj["kind"], f"{path}/kind", KINDS)
    if kind == "residual" and scope != "national":
        _fail(f"{path}/kind", _("only national residual factors are used (market-based method)"))
    year = obj["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        _fail(f"{path}/year", _("expected an integer year, got {year!r}").format(year=year))
    return GridFactor(
        scope=scope,
        area=_area(scope, obj["area"], f"{path}/area"),
        year=year,
        kind=kind,
        value_tco2_per_mwh=_decimal(obj["value_tco2_per_mwh"], f"{path}/value_tco2_per_mwh"),
        confidence=_choice(obj["confidence"], f"{path}/confidence", CONFIDENCES),
        source=_text(obj["source"], f"{path}/source"),
    )


def _grid_factors(value: object, path: str) -> tuple[GridFactor, ...]:
    if not isinstance(value, list) or not value:
        _fail(path, _("expected a non-empty array"))
    factors = tuple(_grid_factor(item, f"{path}/{i}") for i, item in enumerate(value))
    seen: set[tuple[str, str, int, str]] = set()
    for i, factor in enumerate(factors):
        key = (factor.scope, factor.area, factor.year, factor.kind)
        if key in seen:
            message = _("duplicate {kind} factor for {key}")
            _fail(f"{path}/{i}", message.format(kind=factor.kind, key=key[:3]))
        seen.add(key)
    return factors


def _gwp(value: object, path: str) -> Mapping[str, Mapping[str, Decimal]]:
    sets: dict[str, Mapping[str, Decimal]] = {}
    for name, entry in _mapping(value, path).items():
        obj = _object(entry, f"{path}/{name}", _GWP_KEYS)
        _choice(obj["confidence"], f"{path}/{name}/confidence", CONFIDENCES)
        _text(obj["source"], f"{path}/{name}/source")
        values = _mapping(obj["values"], f"{path}/{name}/values")
        sets[name] = MappingProxyType(
            {gas: _decimal(v, f"{path}/{name}/values/{gas}") for gas, v in values.items()}
        )
    gas_lists = {tuple(sorted(values)) for values in sets.values()}
    if len(gas_lists) > 1:
        _fail(path, _("every GWP set must list the same gases"))
    return MappingProxyType(sets)


def _aliases(value: object, path: str, gases: frozenset[str]) -> Mapping[str, str]:
    obj = _object(value, path, _ALIAS_KEYS)
    _text(obj["source"], f"{path}/source")
    aliases: dict[str, str] = {}
    for alias, target in _mapping(obj["aliases"], f"{path}/aliases", empty=True).items():
        if alias in gases or target not in gases:
            _fail(
                f"{path}/aliases/{alias}",
                _("{alias!r} -> {target!r} must map a new name to a gas of the GWP sets").format(
                    alias=alias, target=target
                ),
            )
        aliases[alias] = str(target)
    return MappingProxyType(aliases)


def _blend(value: object, path: str, names: Mapping[str, str]) -> Mapping[str, Decimal]:
    obj = _object(value, path, _BLEND_KEYS)
    _choice(obj["confidence"], f"{path}/confidence", CONFIDENCES)
    _text(obj["source"], f"{path}/source")
    components: dict[str, Decimal] = {}
    for gas, fraction in _mapping(obj["components"], f"{path}/components").items():
        if gas not in names:
            message = _("{gas!r} is not a gas of the GWP sets").format(gas=gas)
            _fail(f"{path}/components/{gas}", message)
        components[names[gas]] = _decimal(fraction, f"{path}/components/{gas}", at_most=_ONE)
    if sum(components.values()) != _ONE:
        _fail(f"{path}/components", _("mass fractions must add up to 1"))
    return MappingProxyType(components)


def _blends(
    value: object, path: str, names: Mapping[str, str]
) -> Mapping[str, Mapping[str, Decimal]]:
    blends: dict[str, Mapping[str, Decimal]] = {}
    for name, entry in _mapping(value, path, empty=True).items():
        if name in names:
            _fail(f"{path}/{name}", _("blend {name!r} has the name of a gas").format(name=name))
        blends[name] = _blend(entry, f"{path}/{name}", names)
    return MappingProxyType(blends)


def _heat(value: object, path: str) -> Decimal:
    obj = _object(value, path, _HEAT_KEYS)
    _choice(obj["confidence"], f"{path}/confidence", CONFIDENCES)
    _text(obj["source"], f"{path}/source")
    return _decimal(obj["factor_tco2_per_gj"], f"{path}/factor_tco2_per_gj")


def factor_set_from_dict(data: object) -> FactorSet:
    """A frozen `FactorSet` from a parsed factor-set document; raises `MalformedFactorSet`."""
    doc = _object(data, "", _TOP_KEYS)
    if doc["schema"] != SCHEMA:
        message = _("expected {expected!r}, got {given!r}")
        _fail("/schema", message.format(expected=SCHEMA, given=doc["schema"]))
    fuels = _mapping(doc["fuels"], "/fuels")
    gwp = _gwp(doc["gwp"], "/gwp")
    gases = frozenset(next(iter(gwp.values())))
    aliases = _aliases(doc["gas_aliases"], "/gas_aliases", gases)
    names = {gas: gas for gas in gases} | dict(aliases)
    return FactorSet(
        version=_text(doc["version"], "/version"),
        fuels=MappingProxyType(
            {code: _fuel(code, entry, f"/fuels/{code}") for code, entry in fuels.items()}
        ),
        grid_factors=_grid_factors(doc["grid_factors"], "/grid_factors"),
        gwp=gwp,
        gas_aliases=aliases,
        blends=_blends(doc["blends"], "/blends", names),
        heat_factor_tco2_per_gj=_heat(doc["heat"], "/heat"),
        source_notes=_text(doc["source_notes"], "/source_notes"),
    )


def load_factor_set(path: Path) -> FactorSet:
    """Read a factor-set JSON file; raises `MalformedFactorSet` (also for invalid JSON)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        message = _("factor set {name}: not valid JSON ({error})")
        raise MalformedFactorSet(message.format(name=path.name, error=error)) from error
    return factor_set_from_dict(data)


@cache
def load_default_factor_set() -> FactorSet:
    """The default factor set `CN-2025.1`, read once per process."""
    return load_factor_set(DEFAULT_FACTOR_SET_PATH)
