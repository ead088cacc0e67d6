"""Benchmarks of dutygraph: a seeded corpus generator (``corpus``) and the measurements
(``run``). See BENCHMARKS.md for the figures and how to reproduce them."""
