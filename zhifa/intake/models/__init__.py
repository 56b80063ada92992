"""Intake models: clues, their photos and steps (issue 4)."""
