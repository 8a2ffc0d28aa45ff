"""Management commands speak English unless told otherwise.

Django runs a command in the active language, which outside a request is LANGUAGE_CODE
(Chinese, the pages' default). Commands are run by operators and scripts, which read their
output and errors as the API's clients do, so ours default to English like the API, and
`--language zh-hans` switches (the output, the errors and the kernels' messages alike).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

COMMAND_DEFAULT_LANGUAGE = "en"


class LanguageCommand(BaseCommand):
    """A command whose messages are in `--language` (default English)."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=COMMAND_DEFAULT_LANGUAGE,
            help=f"language of messages (default {COMMAND_DEFAULT_LANGUAGE})",
        )
        return parser

    def execute(self, *args: Any, **options: Any) -> str | None:
        with translation.override(options.get("language") or COMMAND_DEFAULT_LANGUAGE):
            return super().execute(*args, **options)
