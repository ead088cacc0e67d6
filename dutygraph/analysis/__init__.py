"""Analyses over the graph that combine catalog queries: the summary behind ``analyze``,
unit loads and task gaps shared by the views, and the comparison of two plans.

>>> from dutygraph import example_path, read_workplan
>>> result = analyze([read_workplan(example_path())])
>>> result.summary["tasks"]
23
"""

from dutygraph.analysis.summary import Analysis, analyze

__all__ = ["Analysis", "analyze"]
