"""Core forms."""
