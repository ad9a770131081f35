"""Certification levels as a YAML file (`servicecoach cert import FILE` / `cert export`).

Pure Python: the file names exams, courses and manuals by title, scenarios by slug and levels
by code; the caller passes `resolve` (name → id) and `name_of` (id → name), so this module
never looks anything up. The format is described in `FORMAT.md` beside this module.
"""
# cert-core implements: parse(text, resolve) -> list[LevelSpec] (every problem with its line),
# dump(levels, name_of) -> str, round-tripping.
