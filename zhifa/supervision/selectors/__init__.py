"""Reads of supervision, always through data scoping."""
