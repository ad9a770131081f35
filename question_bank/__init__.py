"""Pure-Python question bank: question model, formats, scoring, paper assembly, statistics.

Nothing in this package imports Flask or a database; it takes plain values and returns
plain values so it can be unit-tested alone and reused by services, CLI and reports.
"""
