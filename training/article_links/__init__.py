"""Questions linked to the manual articles they test (知识点 → 第X条)."""
