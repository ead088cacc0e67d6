"""The gazetteer: canonical unit names, aliases and kinds, and name resolution.

Aliases are data (``dutygraph/data/gazetteer.yaml``, extendable with a user file), never a silent
guess: a name resolved by similarity is reported with both names, and a name close to several
units stays as written.

>>> gaz = Gazetteer.default()
>>> gaz.resolve("市卫生健康委").name
'市卫生健康局'
>>> r = gaz.resolve("市教育")
>>> (r.name, r.method)
('市教育局', 'similar')
>>> gaz.resolve("各区、县级市").collective
True
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz.distance import Levenshtein

from dutygraph.errors import GazetteerError
from dutygraph.graph.names import COLLECTIVE_RE, infer_kind, name_key
from dutygraph.graph.records import Unit

__all__ = ["Gazetteer", "Resolution", "load_alias_file"]


@dataclass(frozen=True)
class Resolution:
    """How a name as written was resolved.

    ``method`` is ``exact``, ``alias``, ``pattern``, ``similar`` (one close known name: resolved,
    with a warning), ``ambiguous`` (several close names: kept as written, with a warning listing
    ``candidates``) or ``unknown`` (kept as written).
    """

    name: str
    kind: str
    collective: bool
    method: str
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Entry:
    canonical: str
    kind: str
    collective: bool


class Gazetteer:
    """Known units and their aliases.

    Build it with :meth:`default` (the shipped table) and extend it with :meth:`extended`.

    >>> g = Gazetteer.default().extended({"市妇儿工委": ("市妇儿工委办", "office")})
    >>> g.resolve("市妇儿工委").name
    '市妇儿工委办'
    """

    def __init__(
        self,
        entries: Mapping[str, tuple[str, str]],
        patterns: Iterable[tuple[re.Pattern[str], str]] = (),
    ) -> None:
        self._names: dict[str, _Entry] = {}
        self._patterns = list(patterns)
        self._add(entries, origin="the gazetteer", override=False)
        self._resolve = functools.lru_cache(maxsize=65536)(self._resolve_uncached)
        # Parsing asks about the same names over and over: cache by the name as written too
        # (each skips name_key, a regex substitution and a translation).
        self._resolve_written = functools.lru_cache(maxsize=65536)(self._resolve_written_uncached)
        self._lookup = functools.lru_cache(maxsize=65536)(self._lookup_uncached)
        self._resolve_unit = functools.lru_cache(maxsize=65536)(self._resolve_unit_uncached)

    def _add(self, entries: Mapping[str, tuple[str, str]], *, origin: str, override: bool) -> None:
        canon_kinds = {canonical: kind for canonical, kind in entries.values()}
        for alias, (canonical, kind) in entries.items():
            key = name_key(alias)
            entry = _Entry(name_key(canonical), kind, kind == "collective")
            old = self._names.get(key)
            if old and old.canonical != entry.canonical and not override:
                raise GazetteerError(
                    f"alias {alias} points to both {old.canonical} and {entry.canonical}",
                    path=origin,
                    hint="keep one of them",
                )
            self._names[key] = entry
        for canonical, kind in canon_kinds.items():
            self._names.setdefault(
                name_key(canonical), _Entry(name_key(canonical), kind, kind == "collective")
            )

    @classmethod
    @functools.cache
    def default(cls) -> Gazetteer:
        """The gazetteer shipped in the package (cached)."""
        text = resources.files("dutygraph.data").joinpath("gazetteer.yaml").read_text("utf-8")
        entries, patterns = _parse_yaml(text, origin="gazetteer.yaml")
        return cls(entries, patterns)

    def extended(
        self,
        entries: Mapping[str, tuple[str, str]],
        patterns: Iterable[tuple[re.Pattern[str], str]] = (),
        *,
        origin: str = "the alias file",
    ) -> Gazetteer:
        """A copy with more aliases; a user's alias overrides a shipped one of the same name."""
        new = Gazetteer({}, [*patterns, *self._patterns])
        new._names = dict(self._names)
        new._add(entries, origin=origin, override=True)
        return new

    def with_alias_file(self, path: str | Path) -> Gazetteer:
        """A copy extended by a user's alias file (YAML like the shipped one, or CSV)."""
        entries, patterns = load_alias_file(path)
        return self.extended(entries, patterns, origin=str(path))

    def patterns(self) -> list[tuple[re.Pattern[str], str]]:
        """The regular-expression aliases: (pattern over a space-free name, canonical name)."""
        return list(self._patterns)

    def known(self) -> Iterator[str]:
        """Every known name (canonical names and aliases), as comparison keys."""
        return iter(self._names)

    def lookup(self, name: str) -> Unit | None:
        """The unit a name denotes exactly (by canonical name, alias or pattern), else ``None``.

        >>> Gazetteer.default().lookup("共青团安顺市委")
        Unit(name='团市委', kind='mass', collective=False, aliases=())
        """
        return self._lookup(name)

    def _lookup_uncached(self, name: str) -> Unit | None:
        key = name_key(name)
        entry = self._names.get(key)
        if entry is None:
            for pattern, canonical in self._patterns:
                if pattern.search(key):
                    entry = self._names.get(
                        canonical, _Entry(canonical, infer_kind(canonical), False)
                    )
                    break
        if entry is None:
            return None
        return Unit(entry.canonical, entry.kind, entry.collective)

    def resolve(self, name: str) -> Resolution:
        """Resolve a name as written to its canonical unit (see :class:`Resolution`)."""
        return self._resolve_written(name)

    def resolve_unit(self, name: str) -> tuple[Resolution, Unit]:
        """:meth:`resolve`, with the unit the name resolves to (one shared object per name).

        >>> r, unit = Gazetteer.default().resolve_unit("市卫生健康委")
        >>> r.method, unit
        ('alias', Unit(name='市卫生健康局', kind='government', collective=False, aliases=()))
        """
        return self._resolve_unit(name)

    def _resolve_unit_uncached(self, name: str) -> tuple[Resolution, Unit]:
        r = self._resolve_written(name)
        return r, Unit(r.name, r.kind, r.collective)

    def _resolve_written_uncached(self, name: str) -> Resolution:
        return self._resolve(name_key(name))

    def _resolve_uncached(self, key: str) -> Resolution:
        entry = self._names.get(key)
        if entry is not None:
            method = "exact" if entry.canonical == key else "alias"
            return Resolution(entry.canonical, entry.kind, entry.collective, method)
        unit = self.lookup(key)
        if unit is not None:
            return Resolution(unit.name, unit.kind, unit.collective, "pattern")
        if COLLECTIVE_RE.search(key):
            return Resolution(key, "collective", True, "unknown")
        candidates = sorted({self._names[k].canonical for k in self._names if _close(key, k)})
        if len(candidates) == 1:
            entry = self._names.get(candidates[0])
            kind = entry.kind if entry else infer_kind(candidates[0])
            return Resolution(candidates[0], kind, False, "similar", tuple(candidates))
        method = "ambiguous" if candidates else "unknown"
        return Resolution(key, infer_kind(key), False, method, tuple(candidates))


def _close(name: str, known: str) -> bool:
    """Whether ``name`` is plausibly a slip for ``known``: a cut-off agency suffix, or one
    character inserted, dropped or (in a long name) replaced inside the same name frame."""
    if name == known or len(name) < 3:
        return False
    if known.startswith(name) and len(known) - len(name) <= 2:
        return True
    if name[0] != known[0] or name[-1] != known[-1] or COLLECTIVE_RE.search(known):
        return False
    if abs(len(name) - len(known)) == 1 and min(len(name), len(known)) >= 5:
        return Levenshtein.distance(name, known) == 1
    return len(name) == len(known) >= 6 and Levenshtein.distance(name, known) == 1


def _expand(names: list[Any], levels: list[str], origin: str) -> Iterator[list[str]]:
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise GazetteerError(f"entry {names!r} is not a list of names", path=origin)
    if any("{L}" in n for n in names):
        for level in levels:
            yield [n.replace("{L}", level) for n in names]
    else:
        yield names


def _parse_yaml(
    text: str, *, origin: str
) -> tuple[dict[str, tuple[str, str]], list[tuple[re.Pattern[str], str]]]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise GazetteerError(f"not valid YAML ({exc.__class__.__name__})", path=origin) from exc
    if not isinstance(data, dict):
        raise GazetteerError("expected a mapping with units/templates/collectives", path=origin)
    levels = data.get("levels") or ["市", "县", "区"]
    entries: dict[str, tuple[str, str]] = {}

    def add(group: list[str], kind: str) -> None:
        canonical = group[0]
        for alias in group:
            old = entries.get(alias)
            if old and old[0] != canonical:
                raise GazetteerError(
                    f"alias {alias} points to both {old[0]} and {canonical}",
                    path=origin,
                    hint="keep one of them",
                )
            entries[alias] = (canonical, kind)

    for section in ("templates", "units"):
        for kind, groups in (data.get(section) or {}).items():
            for group in groups or []:
                for names in _expand(group, levels, origin):
                    add(names, str(kind))
    for group in data.get("collectives") or []:
        for names in _expand(group, levels, origin):
            add(names, "collective")
    patterns = []
    for item in data.get("patterns") or []:
        try:
            patterns.append((re.compile(item["regex"]), str(item["name"])))
        except (KeyError, TypeError, re.error) as exc:
            raise GazetteerError(f"bad pattern entry {item!r}", path=origin) from exc
    return entries, patterns


def load_alias_file(
    path: str | Path,
) -> tuple[dict[str, tuple[str, str]], list[tuple[re.Pattern[str], str]]]:
    """Read a user's alias file: YAML in the gazetteer's layout, or CSV with a header
    ``name,alias[,kind]`` (one alias a row; ``kind`` defaults to a guess from the name).

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
    ...     _ = f.write("name,alias,kind\\n市妇儿工委办,妇儿工委,office\\n")
    >>> load_alias_file(f.name)[0]["妇儿工委"]
    ('市妇儿工委办', 'office')
    >>> os.unlink(f.name)
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(
            f"cannot read alias file ({exc.__class__.__name__})",
            path=str(path),
            hint="give a UTF-8 .csv or .yaml file",
        ) from exc
    if p.suffix.lower() in (".yaml", ".yml"):
        return _parse_yaml(text, origin=str(path))
    if p.suffix.lower() != ".csv":
        raise GazetteerError("unsupported alias file", path=str(path), hint="use .csv or .yaml")
    rows = list(csv.DictReader(io.StringIO(text)))
    entries: dict[str, tuple[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        name, alias = (row.get("name") or "").strip(), (row.get("alias") or "").strip()
        if not name:
            raise GazetteerError(
                "row without a name", path=str(path), line=line, hint="columns: name,alias,kind"
            )
        kind = (row.get("kind") or "").strip() or infer_kind(name)
        for n in filter(None, (name, alias)):
            old = entries.get(n)
            if old and old[0] != name:
                raise GazetteerError(
                    f"alias {n} points to both {old[0]} and {name}",
                    path=str(path),
                    line=line,
                    hint="keep one of them",
                )
            entries[n] = (name, kind)
    return entries, []
