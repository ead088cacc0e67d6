"""Expanding collectives (未保委成员单位, 各有关部门, ...) into their member units.

A plan often assigns a task to "all member units" without naming them. Expanding such a
collective adds one *derived* edge per member unit, with the collective's role and provenance
and ``via`` set to the collective's canonical name; the collective's own edge stays.

Membership is **inferred** unless the user gives it: by default a collective's members are all
the non-collective units named by the documents that use it — a guess, which the expanded graph
records (``graph.graph["members_source"] == "inferred"``). A members file (``--members FILE``)
states membership instead (``"file:<path>"``).

A member that already holds a direct role in the task gets no derived edge, and a collective
whose name contains 其他 ("the other member units") also leaves out the task's leads.

>>> from dutygraph.queries.sample import sample_graph
>>> g = expand_collectives(sample_graph())
>>> g.graph["members_source"], infer_members(g)["未保委成员单位"]
('inferred', ['团市委', '市妇联', '市教育局', '市民政局'])
>>> sorted((u, d["via"]) for u, t, d in g.in_edges("task:demo#2", data=True) if d["via"])
[('unit:市妇联', '未保委成员单位'), ('unit:市民政局', '未保委成员单位')]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from dutygraph.errors import InputError
from dutygraph.graph.build import REL_TYPES, ROLE_OF_REL, add_assignment, unit_id
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.names import infer_kind
from dutygraph.graph.records import ROLES, Assignment

__all__ = ["expand_collectives", "infer_members", "load_members"]

_OTHER = "其他"


def infer_members(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Guess each collective's members: every non-collective unit named (with a direct role) by
    the documents in which the collective appears. The result is inferred, not known.

    >>> from dutygraph.queries.sample import sample_graph
    >>> infer_members(sample_graph())
    {'未保委成员单位': ['团市委', '市妇联', '市教育局', '市民政局']}
    """
    docs_of: dict[str, set[str]] = {}
    named_in: dict[str, set[str]] = {}
    for u, _, data in graph.edges(data=True):
        if data.get("type") not in ROLE_OF_REL or data.get("via") is not None:
            continue
        unit = graph.nodes[u]
        if unit.get("collective"):
            docs_of.setdefault(unit["name"], set()).add(data["doc_id"])
        else:
            named_in.setdefault(data["doc_id"], set()).add(unit["name"])
    return {
        name: sorted(set().union(*(named_in.get(d, set()) for d in docs)))
        for name, docs in sorted(docs_of.items())
    }


def _members_of(name: str, members: Mapping[str, Sequence[str]]) -> Sequence[str] | None:
    if name in members:
        return members[name]
    if _OTHER in name:
        return members.get(name.replace(_OTHER, ""))
    return None


def expand_collectives(
    graph: nx.MultiDiGraph,
    members: Mapping[str, Sequence[str]] | None = None,
    *,
    source: str | None = None,
) -> nx.MultiDiGraph:
    """A copy of ``graph`` with derived edges from each collective's members to its tasks.

    ``members`` maps a collective's canonical name to its member units (canonical names); by
    default they are inferred (:func:`infer_members`). A collective whose name contains 其他
    and is not in ``members`` takes the members of the same name without 其他. Collectives with
    no members given stay unexpanded. The copy records ``members_source`` (``source``, else
    ``"inferred"`` or ``"given"``), ``members`` (the mapping used) and ``unexpanded``.

    >>> from dutygraph.queries.sample import sample_graph
    >>> g = expand_collectives(sample_graph(), {"未保委成员单位": ["市财政局", "团市委"]},
    ...                        source="file:members.yaml")
    >>> g.graph["members_source"], g.nodes["unit:市财政局"]["unit_kind"]
    ('file:members.yaml', 'government')
    """
    out = graph.copy()
    if members is None:
        members, source = infer_members(graph), source or "inferred"
    used: dict[str, list[str]] = {}
    unexpanded: set[str] = set()
    edges = [
        (u, t, d)
        for u, t, d in graph.edges(data=True)
        if d.get("type") in ROLE_OF_REL
        and d.get("via") is None
        and graph.nodes[u].get("collective")
    ]
    # Collectives that lead first, so that an "other members" collective sees derived leads.
    edges.sort(key=lambda e: (ROLES.index(e[2]["role"]), e[1], e[2].get("span_start") or 0))
    for u, t, d in edges:
        name = graph.nodes[u]["name"]
        names = _members_of(name, members)
        if names is None:
            unexpanded.add(name)
            continue
        used[name] = list(names)
        _expand_edge(out, graph.nodes[t]["uid"], t, name, d, names)
    out.graph["members_source"] = source or "given"
    out.graph["members"] = used
    out.graph["unexpanded"] = sorted(unexpanded)
    return out


def _expand_edge(
    graph: nx.MultiDiGraph,
    task_uid: str,
    task_node: str,
    collective: str,
    data: Mapping[str, Any],
    members: Sequence[str],
) -> None:
    incoming = list(graph.in_edges(task_node, keys=True, data=True))
    skip = {graph.nodes[u]["name"] for u, _, _, d in incoming if d.get("via") is None}
    if _OTHER in collective:
        skip |= {graph.nodes[u]["name"] for u, _, _, d in incoming if d.get("type") == "LEADS"}
    rel = REL_TYPES[data["role"]]
    held = {graph.nodes[u]["name"] for u, _, _, d in incoming if d.get("type") == rel}
    for member in members:
        if member == collective or member in skip or member in held:
            continue
        if unit_id(member) not in graph:
            graph.add_node(
                unit_id(member),
                kind="unit",
                bipartite=0,
                name=member,
                unit_kind=infer_kind(member),
                collective=False,
            )
        assignment = Assignment(
            unit=member,
            as_written=data["as_written"],
            role=data["role"],
            collective=False,
            span=(data["span_start"], data["span_end"]),
            clause=data["clause"],
            via=collective,
        )
        add_assignment(graph, data["doc_id"], task_uid, assignment)
        held.add(member)


def load_members(path: str | Path, gazetteer: Gazetteer | None = None) -> dict[str, list[str]]:
    """Read a members file: YAML mapping each collective to a list of units, or CSV with the
    columns ``collective,unit``. Names are resolved through the gazetteer (aliases allowed).

    >>> import os, tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
    ...     _ = f.write("collective,unit\\n市未保委成员单位,共青团安顺市委\\n")
    ...     _ = f.write("市未保委成员单位,市卫健委\\n")
    >>> load_members(f.name)
    {'未保委成员单位': ['团市委', '市卫生健康局']}
    >>> os.unlink(f.name)
    """
    gaz = gazetteer or Gazetteer.default()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read members file ({exc.__class__.__name__})",
            path=str(path),
            hint="give a UTF-8 .yaml or .csv file",
        ) from exc
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        pairs = _yaml_pairs(text, str(path))
    elif suffix == ".csv":
        pairs = _csv_pairs(text, str(path))
    else:
        raise InputError("unsupported members file", path=str(path), hint="use .yaml or .csv")
    out: dict[str, list[str]] = {}
    for line, collective, unit in pairs:
        group = gaz.resolve(collective)
        if not group.collective:
            raise InputError(
                f"{collective} is not a collective",
                path=str(path),
                line=line,
                hint="list members of names such as 未保委成员单位 or 各有关部门",
            )
        member = gaz.resolve(unit)
        if member.collective:
            raise InputError(
                f"member {unit} of {collective} is itself a collective",
                path=str(path),
                line=line,
                hint="list agencies only",
            )
        names = out.setdefault(group.name, [])
        if member.name not in names:
            names.append(member.name)
    return out


def _yaml_pairs(text: str, origin: str) -> list[tuple[int | None, str, str]]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML ({exc.__class__.__name__})", path=origin) from exc
    hint = "map each collective to a list of units, e.g. 未保委成员单位: [市民政局, 团市委]"
    if not isinstance(data, dict):
        raise InputError("expected a mapping of collectives to units", path=origin, hint=hint)
    pairs: list[tuple[int | None, str, str]] = []
    for collective, units in data.items():
        if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
            raise InputError(
                f"members of {collective} are not a list of names", path=origin, hint=hint
            )
        pairs.extend((None, str(collective), u) for u in units)
    return pairs


def _csv_pairs(text: str, origin: str) -> list[tuple[int | None, str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"collective", "unit"} <= set(reader.fieldnames):
        raise InputError("expected the columns collective,unit", path=origin, line=1)
    pairs: list[tuple[int | None, str, str]] = []
    for line, row in enumerate(reader, start=2):
        collective, unit = (row.get("collective") or "").strip(), (row.get("unit") or "").strip()
        if not collective or not unit:
            raise InputError(
                "row without a collective or a unit",
                path=origin,
                line=line,
                hint="columns: collective,unit",
            )
        pairs.append((line, collective, unit))
    return pairs
