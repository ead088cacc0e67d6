"""The command families of the ``dutygraph`` CLI: thin click commands over the library.

Each module defines its commands and a ``register(group)`` function; :mod:`dutygraph.cli`
registers them all explicitly. Shared option bundles live in :mod:`dutygraph.commands.options`,
row output in :mod:`dutygraph.commands.output`.
"""
