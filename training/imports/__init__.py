"""Uploaded files held between a preview and its commit, in the database (no local disk).

Keeping the bytes in the database lets a preview served by one app server be committed on
another behind the load balancer.
"""
