"""send layer."""
