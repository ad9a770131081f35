"""Audit log: who did what to which object, for every change that counts."""
