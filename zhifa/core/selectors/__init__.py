"""Core reads."""
