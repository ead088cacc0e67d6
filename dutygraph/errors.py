"""The one exception hierarchy of dutygraph.

Every error a user can meet derives from :class:`DutygraphError`; the CLI turns it into one line
that names the file (and line where known) and says what to do. ``exit_code`` says how the CLI
exits: 2 for unusable input or usage, 1 for a failed run.

>>> err = InputError("cannot decode the file", path="plan.txt", line=3, hint="save it as UTF-8")
>>> str(err)
'plan.txt:3: cannot decode the file; save it as UTF-8'
>>> err.exit_code
2
"""

from __future__ import annotations

__all__ = [
    "DutygraphError",
    "GazetteerError",
    "InputError",
    "MissingExtraError",
    "ParseError",
    "QueryError",
    "StoreError",
    "StrictError",
]


class DutygraphError(Exception):
    """Base of every error dutygraph raises on purpose.

    ``path`` and ``line`` locate the problem, ``hint`` says what to do about it.

    >>> str(DutygraphError("something failed", hint="try again"))
    'something failed; try again'
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        tail = f"; {self.hint}" if self.hint else ""
        return f"{where}{self.message}{tail}"


class InputError(DutygraphError):
    """A file or argument that cannot be used: missing, unreadable, undecodable, unsupported."""

    exit_code = 2


class MissingExtraError(DutygraphError):
    """A command needs an optional part of dutygraph that is not installed.

    >>> str(MissingExtraError("neo4j", "neo4j"))
    'this command needs the Python package neo4j; install it with: pip install "dutygraph[neo4j]"'
    """

    exit_code = 2

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"this command needs the Python package {module}",
            hint=f'install it with: pip install "dutygraph[{extra}]"',
        )
        self.module = module
        self.extra = extra


class ParseError(InputError):
    """Text that is readable but cannot be parsed as a work plan.

    >>> raise ParseError("no numbered items found", path="x.txt")
    Traceback (most recent call last):
    ...
    dutygraph.errors.ParseError: x.txt: no numbered items found
    """


class GazetteerError(InputError):
    """An alias table that contradicts itself or cannot be read (e.g. one alias, two units)."""


class QueryError(DutygraphError):
    """A query that cannot run: unknown name, bad parameter, unknown unit or task."""

    exit_code = 2


class StoreError(DutygraphError):
    """A graph store (Neo4j) refused or failed: unreachable, wrong password, no such database."""


class StrictError(DutygraphError):
    """A document that parsed with warnings while ``--strict`` asks for none: a failed run.

    >>> err = StrictError("warning alias-by-similarity: 市教育 read as 市教育局", path="p.txt")
    >>> str(err), err.exit_code
    ('p.txt: warning alias-by-similarity: 市教育 read as 市教育局', 1)
    """
