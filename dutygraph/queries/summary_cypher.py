"""The Cypher of the summaries and of the canonical-order streams (Neo4j 5, ``$params`` only).

Each text is literal Cypher: string constants joined with ``+`` to the catalog entries' own
Cypher (``GAPS_CYPHER`` and its two parts, ``TASKS_OF_CYPHER``, ``SECTIONS_CYPHER``,
``PARTNERS_CYPHER``), so a summary counts exactly what its entry finds; no value is ever
formatted in (``tests/test_summary.py`` checks both). :mod:`dutygraph.queries.summary` is the
in-memory twin and defines the canonical order.

``gaps`` is fast because it reads no string but the plan's id per task: each task's units per
relationship type (node references, no property) give the counts of ``no-lead``,
``multi-lead``, ``diffuse`` and ``lead-also-support`` over *all* its edges. A task with edges
derived from a collective (found through the ``via`` indexes) has its counts replaced by the
exact findings of the ``gaps`` entry itself (direct edges only); ``collective-only`` is found
from the few collective units' edges outward. Titles and clauses are read for the rows shown
only. The caller runs it on two halves of the plans (``$lo``/``$hi``, split by
:data:`PLANS_SPLIT`) side by side, so that the server's pass over every task uses two cores.

>>> "ORDER BY" in STREAMS["gaps"].cypher
True
"""

from __future__ import annotations

from dataclasses import dataclass

from dutygraph.queries.gaps import GAP_FINDINGS_CYPHER, GAP_ROWS_CYPHER, GAPS_CYPHER
from dutygraph.queries.load import SECTIONS_CYPHER
from dutygraph.queries.lookup import TASKS_OF_CYPHER
from dutygraph.queries.network import PARTNERS_CYPHER

__all__ = ["GAPS_TOP", "PLANS_SPLIT", "STREAMS", "SUMMARIES", "Statement"]


@dataclass(frozen=True)
class Statement:
    """One Cypher statement of a summarized entry: its literal text and what it returns.

    >>> SUMMARIES["gaps"].returns
    ('counts', 'plans', 'docs')
    """

    name: str
    cypher: str
    returns: tuple[str, ...]


#: The canonical order of task rows (``uid``, ``number`` in scope): plan, task number when it
#: is all digits, uid (:func:`dutygraph.queries.summary.canonical_key`), then the caller's keys.
TASK_ORDER_CYPHER = """\
  CASE WHEN uid CONTAINS '#' THEN left(uid, size(uid) - size(last(split(uid, '#'))) - 1)
       ELSE '' END,
  CASE WHEN toString(number) =~ '[0-9]+' THEN toInteger(toString(number)) END, uid,
"""

GAPS_SUMMARY_CYPHER = (
    """
CALL () {
  // Every task of the plans in [$lo, $hi) (null: no bound; the caller runs parts of the plans
  // side by side), every edge: its units per relationship type (nodes, no property read).
  MATCH (t:Task)
  WHERE ($lo IS NULL OR t.doc_id >= $lo) AND ($hi IS NULL OR t.doc_id < $hi OR t.doc_id IS NULL)
  WITH t.doc_id AS doc, [(u)-[:LEADS]->(t) | u] AS l, [(u)-[:SUPPORTS]->(t) | u] AS s,
       [(u)-[:RESPONSIBLE_FOR]->(t) | u] AS r
  WITH doc, sum(CASE WHEN size(l) = 0 THEN 1 ELSE 0 END) AS c0,
       sum(CASE WHEN size(l) >= 2 THEN 1 ELSE 0 END) AS c1,
       sum(CASE WHEN size(l) = 0 AND size(r) >= $k THEN 1 ELSE 0 END) AS c3,
       sum(size([x IN l WHERE x IN s OR x IN r]) + size([x IN r WHERE x IN s AND NOT x IN l]))
         AS c4
  RETURN doc, [c0, c1, 0, c3, c4] AS c
  UNION ALL
  // A task with an edge derived from a collective (found through the via indexes): its
  // counts over every edge are taken back and its exact findings (direct edges) added.
  CALL () {
    MATCH ()-[r:LEADS]->(t:Task) WHERE r.via IS NOT NULL RETURN t
    UNION
    MATCH ()-[r:SUPPORTS]->(t:Task) WHERE r.via IS NOT NULL RETURN t
    UNION
    MATCH ()-[r:RESPONSIBLE_FOR]->(t:Task) WHERE r.via IS NOT NULL RETURN t
  }
  WITH t
  WHERE ($lo IS NULL OR t.doc_id >= $lo) AND ($hi IS NULL OR t.doc_id < $hi OR t.doc_id IS NULL)
"""
    + GAP_FINDINGS_CYPHER
    + """WITH t, [kind IN $all_kinds | size([f IN findings WHERE f[0] = kind])] AS exact
WITH t, exact, [(u)-[:LEADS]->(t) | u] AS l, [(u)-[:SUPPORTS]->(t) | u] AS s,
     [(u)-[:RESPONSIBLE_FOR]->(t) | u] AS r
WITH t, exact,
     [CASE WHEN size(l) = 0 THEN 1 ELSE 0 END, CASE WHEN size(l) >= 2 THEN 1 ELSE 0 END, 0,
         CASE WHEN size(l) = 0 AND size(r) >= $k THEN 1 ELSE 0 END,
         size([x IN l WHERE x IN s OR x IN r]) + size([x IN r WHERE x IN s AND NOT x IN l])]
     AS c
  RETURN t.doc_id AS doc, [i IN range(0, 4) | exact[i] - c[i]] AS c
  UNION ALL
  // Any other task a collective is assigned to: collective-only when every unit that
  // supports it or is responsible for it is a collective (all its edges are direct).
  MATCH (c:Unit) WHERE c.collective
  MATCH (c)-[r:SUPPORTS|RESPONSIBLE_FOR]->(t:Task)
  WITH t, count(r) AS n
  // (read from the task: a via index scan per task would cost the whole index each time;
  // the plans' bounds last, on the few tasks left: first they make the planner seek tasks)
  WHERE n = COUNT { (t)<-[:SUPPORTS|RESPONSIBLE_FOR]-() }
    AND ($lo IS NULL OR t.doc_id >= $lo) AND ($hi IS NULL OR t.doc_id < $hi OR t.doc_id IS NULL)
  WITH t, n
  WHERE none(via IN [(t)<-[d:LEADS|SUPPORTS|RESPONSIBLE_FOR]-() | d.via] WHERE via IS NOT NULL)
  RETURN t.doc_id AS doc, [0, 0, n, 0, 0] AS c
}
WITH doc, sum(c[0]) AS c0, sum(c[1]) AS c1, sum(c[2]) AS c2, sum(c[3]) AS c3, sum(c[4]) AS c4
WITH doc, [i IN range(0, 4) WHERE $all_kinds[i] IN $kinds | [c0, c1, c2, c3, c4][i]] AS c
WHERE any(x IN c WHERE x > 0)
WITH doc, c ORDER BY doc
WITH collect([doc, c]) AS per_doc
// (blocks over a collected list are CALL subqueries: a COLLECT subquery over one copies it
// per row and runs out of transaction memory at 90k rows)
CALL (per_doc) {
  UNWIND per_doc AS p
  WITH p, reduce(n = 0, x IN p[1] | n + x) AS n
  ORDER BY n DESC, p[0]
  LIMIT $top
  RETURN collect([p[0], n, p[1]]) AS plans
}
RETURN
  reduce(s = [x IN $kinds | 0], p IN per_doc | [i IN range(0, size(s) - 1) | s[i] + p[1][i]])
    AS counts,
  plans,
  // the plans (in id order) holding the first $top findings of each kind
  [i IN range(0, size($kinds) - 1) |
   reduce(acc = [0, []], p IN per_doc |
          CASE WHEN acc[0] >= $top OR p[1][i] = 0 THEN acc
               ELSE [acc[0] + p[1][i], acc[1] + [p[0]]] END)[1]] AS docs
"""
)

GAPS_TOP_CYPHER = (
    """
CALL () {
MATCH (t:Task) WHERE t.doc_id IN $docs
"""
    + GAP_FINDINGS_CYPHER
    + GAP_ROWS_CYPHER
    + """}
WITH kind, number, uid, title, unit, evidence
ORDER BY CASE kind WHEN 'no-lead' THEN 0 WHEN 'multi-lead' THEN 1 WHEN 'collective-only' THEN 2
                   WHEN 'diffuse' THEN 3 ELSE 4 END,
"""
    + TASK_ORDER_CYPHER
    + """  coalesce(unit, ''), coalesce(evidence, '')
WITH collect([kind, number, uid, title, unit, evidence]) AS rows
RETURN [kind IN $kinds | [r IN rows WHERE r[0] = kind][..$top]] AS top
"""
)

TASKS_OF_SUMMARY_CYPHER = (
    """
MATCH (u:Unit {name: $unit})-[r:LEADS|SUPPORTS|RESPONSIBLE_FOR]->(t:Task)
WITH t, r.via AS via, CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SUPPORTS' THEN 'support'
                                   ELSE 'responsible' END AS role
WHERE ($role = 'any' OR role = $role) AND (NOT $direct OR via IS NULL)
// strings only in the list (a list of nodes is held with their properties: 2.8 GiB at 90k)
WITH collect([t.doc_id, t.uid, t.number, role, via]) AS rows
CALL (rows) {
  UNWIND rows AS x
  WITH x[0] AS doc, x[3] AS role
  WITH doc, count(*) AS n, sum(CASE role WHEN 'lead' THEN 1 ELSE 0 END) AS lead,
       sum(CASE role WHEN 'support' THEN 1 ELSE 0 END) AS support,
       sum(CASE role WHEN 'responsible' THEN 1 ELSE 0 END) AS responsible
  ORDER BY n DESC, doc
  LIMIT $top
  RETURN collect([doc, n, lead, support, responsible]) AS plans
}
CALL (rows) {
  UNWIND rows AS x
  WITH x[1] AS uid, x[2] AS number, x[3] AS role, x[4] AS via
  ORDER BY
"""
    + TASK_ORDER_CYPHER
    + """  CASE role WHEN 'lead' THEN 0 WHEN 'support' THEN 1 ELSE 2 END, coalesce(via, '')
  LIMIT $top
  MATCH (t:Task {uid: uid})
  RETURN collect([number, uid, t.title, role, via]) AS top
}
RETURN size(rows) AS total,
  [role IN $roles | [role, size([x IN rows WHERE x[3] = role AND x[4] IS NULL]),
                    size([x IN rows WHERE x[3] = role AND x[4] IS NOT NULL])]] AS counts,
  plans, top
"""
)

SECTIONS_SUMMARY_CYPHER = (
    """
CALL () {"""
    + SECTIONS_CYPHER
    + """}
WITH collect([doc_id, section, section_title, tasks, no_lead, leads, top_unit, top_share, hhi])
     AS rows
CALL (rows) {
  UNWIND rows AS x
  WITH x[0] AS doc, count(*) AS sections, sum(x[3]) AS tasks, sum(x[4]) AS no_lead,
       sum(CASE WHEN x[8] >= $concentrated THEN 1 ELSE 0 END) AS concentrated
  ORDER BY no_lead DESC, doc
  LIMIT $top
  RETURN collect([doc, sections, tasks, no_lead, concentrated]) AS plans
}
CALL (rows) {
  UNWIND rows AS x
  WITH x, x[0] AS doc_id, x[1] AS section
  ORDER BY coalesce(x[8], -1.0) DESC, x[5] DESC,
  doc_id,
  CASE WHEN toString(section) =~ '[0-9]+' THEN toInteger(toString(section))
       ELSE $section_numbers[section] END,
  section
  LIMIT $top
  RETURN collect(x) AS top
}
RETURN size(rows) AS total,
  [size(rows), reduce(n = 0, x IN rows | n + x[3]), reduce(n = 0, x IN rows | n + x[4]),
   reduce(n = 0, x IN rows | n + CASE WHEN x[4] > 0 THEN 1 ELSE 0 END),
   reduce(n = 0, x IN rows | n + CASE WHEN x[8] >= $concentrated THEN 1 ELSE 0 END)] AS counts,
  plans, top
"""
)

PARTNERS_SUMMARY_CYPHER = (
    """
CALL () {"""
    + PARTNERS_CYPHER
    + """}
WITH collect([unit_a, unit_b, shared, role_a, role_b, tasks]) AS rows
CALL (rows) {
  UNWIND rows AS x
  WITH DISTINCT x[0] AS a, x[1] AS b, x[2] AS shared
  ORDER BY shared DESC, a, b
  LIMIT $top
  RETURN collect([a, b]) AS pairs
}
CALL (rows, pairs) {
  UNWIND rows AS x
  WITH x WHERE [x[0], x[1]] IN pairs
  ORDER BY x[2] DESC, x[0], x[1], CASE x[3] WHEN 'lead' THEN 0 WHEN 'support' THEN 1 ELSE 2 END,
           CASE x[4] WHEN 'lead' THEN 0 WHEN 'support' THEN 1 ELSE 2 END
  RETURN collect(x) AS top
}
CALL (rows) {
  UNWIND rows AS x
  WITH x[3] AS role_a, x[4] AS role_b, count(*) AS pairs, sum(x[5]) AS tasks
  RETURN collect([role_a, role_b, pairs, tasks]) AS found
}
RETURN size(rows) AS total,
  [ab IN $role_pairs WHERE any(f IN found WHERE f[0] = ab[0] AND f[1] = ab[1])
   | [f IN found WHERE f[0] = ab[0] AND f[1] = ab[1]][0]] AS counts,
  top
"""
)

GAPS_STREAM_CYPHER = (
    """
CALL () {"""
    + GAPS_CYPHER
    + """}
RETURN kind, number, uid, title, unit, evidence
ORDER BY CASE kind WHEN 'no-lead' THEN 0 WHEN 'multi-lead' THEN 1 WHEN 'collective-only' THEN 2
                   WHEN 'diffuse' THEN 3 ELSE 4 END,
"""
    + TASK_ORDER_CYPHER
    + """  coalesce(unit, ''), coalesce(evidence, '')
"""
)

TASKS_OF_STREAM_CYPHER = (
    """
CALL () {"""
    + TASKS_OF_CYPHER
    + """}
RETURN number, uid, title, role, via
ORDER BY
"""
    + TASK_ORDER_CYPHER
    + """  CASE role WHEN 'lead' THEN 0 WHEN 'support' THEN 1 ELSE 2 END, coalesce(via, '')
"""
)

SECTIONS_STREAM_CYPHER = (
    """
CALL () {"""
    + SECTIONS_CYPHER
    + """}
RETURN doc_id, section, section_title, tasks, no_lead, leads, top_unit, top_share, hhi
ORDER BY
  doc_id,
  CASE WHEN toString(section) =~ '[0-9]+' THEN toInteger(toString(section))
       ELSE $section_numbers[section] END,
  section
"""
)

PARTNERS_STREAM_CYPHER = (
    """
CALL () {"""
    + PARTNERS_CYPHER
    + """}
RETURN unit_a, unit_b, shared, role_a, role_b, tasks
ORDER BY shared DESC, unit_a, unit_b,
         CASE role_a WHEN 'lead' THEN 0 WHEN 'support' THEN 1 ELSE 2 END,
         CASE role_b WHEN 'lead' THEN 0 WHEN 'support' THEN 1 ELSE 2 END
"""
)


#: The plan id that halves the plans (in id order): the ``gaps`` summary runs on the plans
#: before it and on those from it side by side, one server thread each (null: no plan).
PLANS_SPLIT_CYPHER = """
MATCH (d:Document)
WITH d.id AS id ORDER BY id
WITH collect(id) AS ids
RETURN CASE WHEN size(ids) >= 2 THEN ids[size(ids) / 2] END AS split
"""

#: The summary statement of each summarized entry (``gaps``: then :data:`GAPS_TOP`).
SUMMARIES: dict[str, Statement] = {
    "gaps": Statement("gaps", GAPS_SUMMARY_CYPHER, ("counts", "plans", "docs")),
    "tasks-of": Statement("tasks-of", TASKS_OF_SUMMARY_CYPHER, ("total", "counts", "plans", "top")),
    "sections": Statement("sections", SECTIONS_SUMMARY_CYPHER, ("total", "counts", "plans", "top")),
    "partners": Statement("partners", PARTNERS_SUMMARY_CYPHER, ("total", "counts", "top")),
}
#: See :data:`PLANS_SPLIT_CYPHER`.
PLANS_SPLIT = Statement("gaps", PLANS_SPLIT_CYPHER, ("split",))
#: The first ``$top`` findings of each kind in ``$kinds``, from the tasks of the plans ``$docs``.
GAPS_TOP = Statement("gaps", GAPS_TOP_CYPHER, ("top",))
#: Every row of each summarized entry, in the canonical order.
STREAMS: dict[str, Statement] = {
    "gaps": Statement(
        "gaps", GAPS_STREAM_CYPHER, ("kind", "number", "uid", "title", "unit", "evidence")
    ),
    "tasks-of": Statement(
        "tasks-of", TASKS_OF_STREAM_CYPHER, ("number", "uid", "title", "role", "via")
    ),
    "sections": Statement(
        "sections",
        SECTIONS_STREAM_CYPHER,
        (
            "doc_id",
            "section",
            "section_title",
            "tasks",
            "no_lead",
            "leads",
            "top_unit",
            "top_share",
            "hhi",
        ),
    ),
    "partners": Statement(
        "partners",
        PARTNERS_STREAM_CYPHER,
        ("unit_a", "unit_b", "shared", "role_a", "role_b", "tasks"),
    ),
}
