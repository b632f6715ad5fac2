"""Matching tests run without Django and without a database: nothing here imports it."""
