"""Instructor tooling around nbgrader (autograde, integrity checks, feedback, reports)."""
