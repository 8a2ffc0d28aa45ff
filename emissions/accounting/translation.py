"""Translation of the kernels' messages, without importing Django.

The kernels (accounting, dossier reading, identifiers, scoring) write their messages in English
as `_("unknown unit {unit!r}").format(unit=...)`; `gettext` hands the English text to the
translation the application installed at start-up (`emissions.apps.EmissionsConfig.ready`
installs Django's, which follows the language of the request), and is the identity until then:
a kernel test, a benchmark or a script without Django reads English. Django's `makemessages`
finds these calls (`_`, `gettext` and `gettext_noop` are among its keywords), so the messages
are in the app's catalogue like any other.

Module-level message constants are marked with `gettext_noop` (so that they are extracted) and
translated where they are used, in the language of that moment.

Where the data itself holds the Chinese (a fuel's `name_zh` in the factor set), a kernel picks
it by `chinese()`: the active language, which the application installs alongside (Django's
`get_language`); English until then, like `gettext`.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str], str]
Language = Callable[[], str | None]


def gettext_noop(message: str) -> str:
    """Marks `message` for the catalogue without translating it (translate it when used)."""
    return message


_installed: dict[str, Translate] = {"translate": gettext_noop}


def install(translate: Translate) -> Translate:
    """Make `translate` the translation of every kernel message; returns the one it replaces."""
    previous = _installed["translate"]
    _installed["translate"] = translate
    return previous


def gettext(message: str) -> str:
    """`message` in the active language (English when nothing is installed)."""
    return _installed["translate"](message)


def default_language() -> str:
    """The kernels' language until the application installs its own: English."""
    return "en"


_language: dict[str, Language] = {"language": default_language}


def install_language(language: Language) -> Language:
    """Make `language` tell the active language code ("zh-hans", "en"); returns the one it
    replaces."""
    previous = _language["language"]
    _language["language"] = language
    return previous


def chinese() -> bool:
    """Whether the active language is Chinese (a `zh` code: `zh-hans`, `zh-cn`)."""
    return (_language["language"]() or "").lower().startswith("zh")
