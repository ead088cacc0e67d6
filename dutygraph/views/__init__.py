"""Every output a reader sees: maps, the responsibility matrix, charts, the report, exports.

Views take the networkx graph (and analysis results) and write files; they never parse.
"""
