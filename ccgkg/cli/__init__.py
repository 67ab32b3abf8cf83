"""The ``ccgkg`` command line: Click only. Each command parses its options, calls the library, renders the
result and picks the exit code. Library errors (:class:`ccgkg.errors.CcgkgError`) become ``Error: ...`` on stderr
with exit code 2; anything else is a bug and shows its traceback (with ``--debug``, in full).

Commands are loaded lazily from ``COMMANDS`` so that ``ccgkg --help`` stays fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

from ccgkg import __version__
from ccgkg.errors import CcgkgError

#: command name -> "module:attribute" of its click command.
COMMANDS: dict[str, str] = {
    "law": "ccgkg.cli.law:law",
    "infer": "ccgkg.cli.infer:infer",
    "import": "ccgkg.cli.importer:import_group",
    "validate": "ccgkg.cli.validate:validate",
    "explain": "ccgkg.cli.validate:explain",
    "query": "ccgkg.cli.query:query",
    "sparql": "ccgkg.cli.query:sparql",
    "push": "ccgkg.cli.query:push",
    "publish": "ccgkg.cli.publish:publish",
    "serve": "ccgkg.cli.publish:serve",
}


class CcgkgUsageError(click.ClickException):
    """A library error shown to the user: ``Error: ...`` then ``Hint: ...``, exit code 2."""

    exit_code = 2

    def __init__(self, error: CcgkgError) -> None:
        super().__init__(error.message)
        self.error = error

    def format_message(self) -> str:
        text = self.error.message
        if self.error.hint:
            text += f"\nHint: {self.error.hint}"
        if self.error.see:
            text += f"\nSee: {self.error.see}"
        return text


def _available(name: str) -> bool:
    module = COMMANDS[name].split(":")[0]
    return importlib.util.find_spec(module) is not None


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used, and which turns library errors into exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | {n for n in COMMANDS if _available(n)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and _available(cmd_name):
            module, attr = COMMANDS[cmd_name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CcgkgError as exc:
            raise CcgkgUsageError(exc) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccgkg")
def cli() -> None:
    """English NHS commissioning law (2012-2022) as a knowledge graph.

    Ask what the law required (law), load organisations (import), check them (validate, explain) and ask
    questions in SPARQL (query, sparql, push).
    """


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="ccgkg")


__all__ = ["COMMANDS", "CcgkgUsageError", "LazyGroup", "cli", "main"]
