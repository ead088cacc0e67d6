"""Optional parts of dutygraph: import them, or say in one line which extra installs them.

``pip install dutygraph`` gives every command that needs no server; ``dutygraph[neo4j]`` adds the
Neo4j driver, ``dutygraph[notebook]`` what the notebook needs (JupyterLab included).

>>> require("json", "neo4j").__name__
'json'
>>> try:
...     require("no_such_module_here", "neo4j")
... except MissingExtraError as err:
...     print(err.hint)
install it with: pip install "dutygraph[neo4j]"
"""

from __future__ import annotations

import importlib
from types import ModuleType

from dutygraph.errors import MissingExtraError

__all__ = ["require"]


def require(module: str, extra: str) -> ModuleType:
    """Import ``module``; when it is not installed, raise :class:`MissingExtraError` naming
    ``dutygraph[extra]`` (a module that is installed but fails to import raises as it is)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = module.split(".")[0]
        if exc.name is not None and exc.name.split(".")[0] != top:
            raise
        raise MissingExtraError(top, extra) from None
