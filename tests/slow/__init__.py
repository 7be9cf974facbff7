"""Slow tests: packaging and other builds that take minutes."""
