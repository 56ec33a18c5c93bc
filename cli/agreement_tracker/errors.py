"""Domain errors, each carrying the exit code the CLI maps it to.

0 is success, 1 means findings, 2 means input that could not be used at all
or a usage mistake. The mapping lives here so every command agrees on it.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class AgreementsError(Exception):
    """Base of every error the tool reports to the user without a traceback."""

    exit_code = EXIT_UNUSABLE


class RegisterNotFound(AgreementsError):
    """No register where the user pointed, or none could be found."""


class RegisterUnreadable(AgreementsError):
    """The register exists but could not be loaded; carries the findings."""

    def __init__(self, message: str, findings: list | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


class UnknownId(AgreementsError):
    """An id given on the command line names nothing in the register."""


class BadArgument(AgreementsError):
    """A command-line value that cannot be used as given."""


class IllegalMove(AgreementsError):
    """A status move the lifecycle does not allow: the register says no (findings)."""

    exit_code = EXIT_FINDINGS


class WriteRefused(AgreementsError):
    """A write that could not be done safely; the file is unchanged."""


class QuoteNotFound(AgreementsError):
    """The quote is not in the source; exit 1 with the nearest passage."""

    exit_code = EXIT_FINDINGS
