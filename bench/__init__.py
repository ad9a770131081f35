"""Benchmarks: `make bench` runs each and writes bench/results/<name>.json plus a chart."""
