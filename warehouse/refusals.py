"""What every command line of the project (python -m etl, queries, exports) does with a failure: one line
on stderr that says what was wrong and what to do, and a non-zero exit. A traceback is for a bug report
and only shown with --debug."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

MAX_REASON = 300


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a wrong command line is one line (argparse prints the usage above it)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def add_debug_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", help="on a failure, show the full traceback (for a bug report)")


def one_line(text: str, limit: int | None = None) -> str:
    text = " ".join(str(text).split())
    return text if limit is None or len(text) <= limit else text[: limit - 3] + "..."


def unexpected(error: BaseException) -> str:
    """An error no check of ours foresaw, as one line: what it said, and how to see more."""
    if isinstance(error, OSError) and error.strerror:
        name = f"{error.filename}: " if error.filename else ""
        return one_line(f"{name}{error.strerror.lower()}: check the path and its permissions", MAX_REASON)
    said = one_line(str(error), MAX_REASON) or "no message"
    return f"{said} ({type(error).__name__}; run again with --debug to see where, and report it)"


def run_guarded(run: Callable[[], int], debug: bool, prefix: str, expected: tuple[type[BaseException], ...]) -> int:
    """Run a command; an expected refusal prints `prefix: reason`, anything else the same one line
    with how to see more. Exit status 1 (130 when stopped with Ctrl-C)."""
    try:
        return run()
    except expected as error:
        if debug:
            raise
        print(f"{prefix}: {one_line(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if debug:
            raise
        print(f"{prefix}: stopped before it finished (a load that did not finish changed nothing)", file=sys.stderr)
        return 130
    except Exception as error:  # the promise: no traceback reaches a person
        if debug:
            raise
        print(f"{prefix}: {unexpected(error)}", file=sys.stderr)
        return 1
