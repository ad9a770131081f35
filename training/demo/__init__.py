"""Bundled demo content: a demo company, its accounts, and the content later features load."""
