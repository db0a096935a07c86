"""The early feedback a student fetches while the problem set is open: a short, self-contained HTML page.

Per test cell its points and pass/fail; for a failure in the visible part the verdict of
``grading.marking.feedback`` (the words the deadline feedback uses, under the channel rules of
grading/README.md); for a failure in the hidden part only the task (the test cell's name) and its concepts (the
cell's ``curriculum`` metadata) — not the instructor's description of the check, not the kind of slip, nothing
computed from the hidden inputs or the student's answers to them.  Every page says it is a preview and that the
grade at the deadline is what counts.
"""
from __future__ import annotations

import html
import time

from ..marking.feedback import verdict_text
from ..records import Failure

STYLE = ("body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.4}"
         ".pass{color:#17692f}.fail{color:#a31515}.note{background:#fff6d6;padding:.6em 1em;border-radius:4px}"
         "li{margin:.3em 0}")
PREVIEW_NOTE = ("This is a preview, made when you submitted. It is not your grade: the grade is given after the "
                "deadline, to your last submission before it, and hidden tests may be added to or changed before "
                "then.")
MACHINE_FAILURE = "the grader could not finish it (this is not counted against your notebook; please tell your " \
                  "instructor if it happens again)"


def utc(epoch):
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))


def _page(title, body):
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n")


def _concepts(item):
    if item is None or not (item.concepts or item.chapter):
        return ""
    words = ", ".join(item.concepts) or item.chapter
    return f" (concepts: {words})"


def _line(verdict, item):
    if verdict["passed"] or not verdict.get("hidden"):
        text = verdict_text(verdict)
    else:
        text = verdict_text(dict(verdict, message=f"a hidden test of this task failed{_concepts(item)}"))
    css = "pass" if verdict["passed"] else "fail"
    return f'<li class="{css}"><code>{html.escape(verdict["grade_id"])}</code>: {html.escape(text)}</li>'


def graded_page(assignment, result, items, submitted_at):
    """The preview of a graded ``records.Result``; ``items``: (notebook, grade_id) -> insight TestItem."""
    score = sum(o["score"] for o in result.notebooks.values())
    total = sum(o["max_score"] for o in result.notebooks.values())
    parts = [f'<p class="note">{html.escape(PREVIEW_NOTE)}</p>',
             f"<p>Submitted {html.escape(submitted_at)}: <b>{_number(score)} / {_number(total)} points</b> in this "
             f"preview.</p>"]
    for name, outcome in result.notebooks.items():
        lines = [_line(v, items.get((name, grade_id))) for grade_id, v in outcome["verdicts"].items()]
        parts.append(f"<h2>{html.escape(name)}.ipynb: {_number(outcome['score'])} / {_number(outcome['max_score'])}"
                     f"</h2>\n<ul>\n" + "\n".join(lines) + "\n</ul>")
    return _page(f"{assignment}: preview feedback ({_number(score)} / {_number(total)})", "\n".join(parts))


def failed_page(assignment, result, submitted_at):
    """The preview of a submission that could not be graded, with a reason that holds nothing of the run."""
    if result.failure == Failure.NOTEBOOKS:
        why = result.reason            # which of the student's own files could not be matched
    elif result.failure == Failure.DEADLINE:
        why = "your notebook took longer than the grader's time limit for a whole submission"
    else:
        why = MACHINE_FAILURE
    body = (f'<p class="note">{html.escape(PREVIEW_NOTE)}</p>\n<p>Submitted {html.escape(submitted_at)}: this '
            f"submission could not be graded: {html.escape(why)}.</p>")
    return _page(f"{assignment}: preview feedback (not graded)", body)


def over_budget_page(assignment, budget, next_run, submitted_at):
    when = "no more feedback runs are available for this problem set" if next_run == float("inf") else \
        f"the next feedback run is available at {utc(next_run)}"
    body = (f"<p>Submitted {html.escape(submitted_at)}: received and kept. It has not been previewed: you have used "
            f"your {budget.runs} feedback run{'s' if budget.runs != 1 else ''} per {budget.hours:g} hours, and "
            f"{when}. A submission after that time gets a preview.</p>\n<p>Your last submission before the deadline "
            f"is the one graded, whether or not it was previewed.</p>")
    return _page(f"{assignment}: submission received (no preview)", body)


def _number(x):
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
