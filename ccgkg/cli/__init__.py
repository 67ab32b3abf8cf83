"""The ``ccgkg`` command line: Click only. Each command parses its options, calls the library, renders the
result and picks the exit code.

Exit codes: 0 done (no finding at or above ``--fail-on``), 1 findings (``validate`` only), 2 bad input or usage
(every :class:`ccgkg.errors.CcgkgError` becomes ``Error: ...`` and ``Hint: ...`` on stderr), 70 an unexpected
error, which is a bug in ccgkg (EX_SOFTWARE of sysexits.h: one line on stderr naming the saved traceback file;
``ccgkg --debug`` prints the traceback too), 130 interrupted (Ctrl-C).

Commands are loaded lazily from ``COMMANDS`` so that ``ccgkg --help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
import os
import sys
import tempfile
import traceback
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


#: The exit code of an unexpected error (a bug): EX_SOFTWARE, "internal software error", of sysexits.h.
EXIT_BUG = 70
#: The exit code when the user interrupts a command (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130


class CcgkgBug(click.ClickException):
    """An unexpected error: one line naming the error and the file its traceback was saved to; exit code 70."""

    exit_code = EXIT_BUG

    def __init__(self, error: BaseException, saved: str | None, *, debug: bool) -> None:
        where = f"; traceback saved to {saved}" if saved else ""
        super().__init__(f"internal error (a bug in ccgkg): {type(error).__name__}: "
                         f"{' '.join(str(error).split())[:300]}{where}")
        self.trace = "".join(traceback.format_exception(error))
        self.debug = debug

    def format_message(self) -> str:
        tail = "" if self.debug else "\nHint: run `ccgkg --debug ...` to print the traceback, and please report it"
        return (self.trace.rstrip() + "\n" if self.debug else "") + self.message + tail


class Interrupted(click.ClickException):
    """Ctrl-C: ``Interrupted``, exit code 130 (never 1, which means findings)."""

    exit_code = EXIT_INTERRUPTED


class _OneLineWarnings(logging.Handler):
    """rdflib's warnings as one ``Warning: ...`` line on stderr, without the traceback some of them carry."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.shown: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        text = " ".join(record.getMessage().split(", Converter=")[0].split())[:300]
        if text.startswith("Failed to convert Literal"):  # input files: refused by store.check_literals instead
            return
        if text not in self.shown:
            self.shown.add(text)
            click.echo(f"Warning: {text}", err=True)


def save_traceback(error: BaseException) -> str | None:
    """Write the traceback of ``error`` to a new file in the temporary folder; its path (None if it cannot)."""
    try:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        fd, path = tempfile.mkstemp(prefix=f"ccgkg-crash-{stamp}-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"ccgkg {__version__}: {' '.join(sys.argv)}\n")
            handle.write("".join(traceback.format_exception(error)))
        return path
    except OSError:
        return None


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
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug")) or os.environ.get("CCGKG_DEBUG", "") not in ("", "0")
        if not debug:  # rdflib logs some warnings with a traceback: show them as one line
            rdflib_log = logging.getLogger("rdflib")
            if not any(isinstance(h, _OneLineWarnings) for h in rdflib_log.handlers):
                rdflib_log.addHandler(_OneLineWarnings(logging.WARNING))
        try:
            return super().invoke(ctx)
        except CcgkgError as exc:
            raise CcgkgUsageError(exc) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None
        except Exception as exc:  # noqa: BLE001 - a bug: reported with its saved traceback, exit 70
            raise CcgkgBug(exc, save_traceback(exc), debug=debug) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccgkg")
@click.option("--debug", is_flag=True, help="On an unexpected error (exit 70), print the full traceback.")
def cli(debug: bool) -> None:
    """English NHS commissioning law (2012-2022) as a knowledge graph.

    Ask what the law required (law), load organisations (import), check them (validate, explain) and ask
    questions in SPARQL (query, sparql, push).

    Exit codes: 0 done, 1 findings (validate), 2 bad input or usage, 70 an unexpected error (a bug: its
    traceback is saved to a file; --debug prints it), 130 interrupted.
    """


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="ccgkg")


__all__ = ["COMMANDS", "EXIT_BUG", "EXIT_INTERRUPTED", "CcgkgBug", "CcgkgUsageError", "LazyGroup", "cli", "main",
           "save_traceback"]
