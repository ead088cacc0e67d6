"""Loaders push the graph to Neo4j: :mod:`~dutygraph.loaders.push` writes documents in
transactions (idempotent, batched) and translates driver failures into one-line errors."""
