"""Service manuals: regulations as a versioned, searchable library."""
