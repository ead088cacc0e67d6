"""dutygraph: turn Chinese government work plans into a graph of agencies and tasks.

>>> from dutygraph import read_workplan, build_graph, example_path
>>> doc = read_workplan(example_path())
>>> g = build_graph([doc])
>>> g.number_of_nodes() > 23
True
"""

from __future__ import annotations

__version__ = "0.1.0"

from dutygraph.errors import DutygraphError, InputError, ParseError
from dutygraph.extract.parse import parse_workplan
from dutygraph.extract.workplan import example_path, read_workplan, read_workplans
from dutygraph.graph.build import build_graph
from dutygraph.graph.gazetteer import Gazetteer
from dutygraph.graph.records import Assignment, Document, Task, Unit

__all__ = [
    "Assignment",
    "Document",
    "DutygraphError",
    "Gazetteer",
    "InputError",
    "ParseError",
    "Task",
    "Unit",
    "__version__",
    "build_graph",
    "example_path",
    "parse_workplan",
    "read_workplan",
    "read_workplans",
]
