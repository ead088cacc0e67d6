"""Interactive network maps of who does what, as self-contained HTML pages.

A map shows units and tasks (shape and colour by kind, tasks coloured by their plan's section,
size by load), edges styled by role with a legend, tooltips with the evidence clause and the
task's text, a search box that knows aliases and task titles, click-to-highlight with the
details in a side panel, filters by role, plan and section that re-fit the view, a URL hash
that keeps the view, a PNG export, and physics that settles and then stops. An ego map pins
its unit at the centre with rings by hops. Past :data:`LAYOUT_THRESHOLD` nodes the map opens
on the units joined by shared tasks, and a plan's tasks open on demand. The page makes no
network request and escapes every piece of document text.

>>> from dutygraph.queries.sample import sample_graph
>>> page = render_map(sample_graph(), title="示例")
>>> page.startswith("<!DOCTYPE html>"), "://" in page.split("<script")[0]
(True, False)
"""

from __future__ import annotations

from dutygraph.analysis.metrics import TASK_GAP_KINDS, UnitLoad, task_gaps, unit_loads
from dutygraph.views.maps.layout import LAYOUT_THRESHOLD, ego_layout, precompute_layout, unit_links
from dutygraph.views.maps.render import map_data, render_map, write_map

__all__ = [
    "LAYOUT_THRESHOLD",
    "TASK_GAP_KINDS",
    "UnitLoad",
    "ego_layout",
    "map_data",
    "precompute_layout",
    "render_map",
    "task_gaps",
    "unit_links",
    "unit_loads",
    "write_map",
]
