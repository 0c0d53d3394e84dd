"""Errors the command line turns into one-line messages and exit codes.

Exit codes (also in ``tea --help``): 0 ok, 1 internal error, 2 bad input, 3 infeasible model,
4 report check failed, 5 time limit reached with no plan, 6 solver failed.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: a model file, an input table or a function argument that cannot be used.

    Parameters
    ----------
    message : str
        What is wrong and what was expected.
    file : str, optional
        The file the bad value came from.
    key : str, optional
        The dotted key or column of the bad value.
    """

    exit_code = 2

    def __init__(self, message: str, file: str | None = None, key: str | None = None):
        self.message, self.file, self.key = message, file, key
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.key) if p]
        return ": ".join([*parts, self.message])


class InfeasibleError(RuntimeError):
    """A model with no solution; ``diagnosis`` says which constraints cannot be met."""

    exit_code = 3

    def __init__(self, message: str, diagnosis: list[str] | None = None):
        self.diagnosis = list(diagnosis or [])
        super().__init__(message)


class TimeLimitError(RuntimeError):
    """The solver stopped at its time (or iteration) limit before it found any plan: the model
    may well be feasible; ``hint`` says what to do."""

    exit_code = 5

    def __init__(self, message: str, hint: str | None = None):
        self.hint = hint
        super().__init__(message)


class SolverError(RuntimeError):
    """The solver failed (raised, or stopped with an error status): reported in words, one line;
    the solver's own message, if any, is kept in ``detail`` (not shown to the user)."""

    exit_code = 6

    def __init__(self, message: str, detail: str | None = None):
        self.detail = detail
        super().__init__(message)
