"""Benchmarks of the matching engine (pure Python, no database)."""
