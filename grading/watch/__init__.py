"""Feedback while a problem set is open: ``python -m grading watch ASSIGNMENT`` (``service.watch``) grades each
new submission in nbgrader's exchange and releases a preview through nbgrader's own feedback path, within a
per-student budget (``budget``), crash-safe (``ledger``).  grading/README.md describes the design."""
from .service import watch  # noqa: F401
