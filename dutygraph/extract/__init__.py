"""Reading plan files and parsing them into records.

The pipeline's first two steps: :mod:`~dutygraph.extract.read` turns a file of any supported
format into text (:mod:`~dutygraph.extract.decode` and the ``formats_*`` modules do the work;
:mod:`~dutygraph.extract.tables` is the one table model every container's plan tables are read
into and rendered from, as numbered items with a labelled clause),
:mod:`~dutygraph.extract.parse` turns text into a :class:`~dutygraph.graph.records.Document`
(:mod:`~dutygraph.extract.structure` finds sections and items, :mod:`~dutygraph.extract.clauses`
the assignments), :mod:`~dutygraph.extract.workplan` joins the two, and
:mod:`~dutygraph.extract.ingest` does it for large archives with a cache. Nothing here touches
networkx or Neo4j.
"""
