"""Developer commands run from the repository root (`python -m tools.NAME`)."""
