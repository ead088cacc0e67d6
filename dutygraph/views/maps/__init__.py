"""Interactive network maps of who does what, as self-contained HTML pages.

A map shows units and tasks (shape and colour by kind, tasks coloured by section, size by
load), edges styled by role with a legend, tooltips with the evidence clause and the task's
text, a search box that knows aliases, click-to-highlight, filters by role and section, and
physics that settles and then stops. The page makes no network request and escapes every piece
of document text. Past :data:`LAYOUT_THRESHOLD` nodes the layout is computed in Python and
physics is off.

>>> from dutygraph.queries.sample import sample_graph
>>> page = render_map(sample_graph(), title="示例")
>>> page.startswith("<!DOCTYPE html>"), "://" in page.split("<script")[0]
(True, False)
"""

from __future__ import annotations

from dutygraph.analysis.metrics import TASK_GAP_KINDS, UnitLoad, task_gaps, unit_loads
from dutygraph.views.maps.layout import LAYOUT_THRESHOLD, precompute_layout
from dutygraph.views.maps.render import map_data, render_map, write_map

__all__ = [
    "LAYOUT_THRESHOLD",
    "TASK_GAP_KINDS",
    "UnitLoad",
    "map_data",
    "precompute_layout",
    "render_map",
    "task_gaps",
    "unit_loads",
    "write_map",
]
