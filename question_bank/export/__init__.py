"""Exporters: questions back out as Excel, GIFT and Moodle XML files that re-import unchanged.

Each exporter writes only what its format can carry (see its module docstring); the round-trip
tests pin which fields survive per format.
"""
