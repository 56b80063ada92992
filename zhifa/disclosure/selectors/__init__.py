"""Reads of disclosure, always through data scoping or the published set."""
