"""The end-of-run report for the instructor: every submission with its score, flags, or failure reason.

Scores are the gradebook's (``totals``, from grading/export.py: manual scores included, late penalty subtracted),
so the report says what ``nbgrader export`` and ``python -m grading export`` say; the journal's automatic score is
used only for a submission the gradebook does not have.
"""
from __future__ import annotations

import json


def _score(entry):
    text = f"{entry.get('score', 0):g} / {entry.get('max_score', 0):g}"
    if entry.get("late_penalty"):
        text += f" (late: {entry['raw_score']:g} − {entry['late_penalty']:g})"
    return text


def with_gradebook_totals(entries, totals):
    """The journal's entries with the gradebook's score of each graded student (``totals``: student -> score)."""
    merged = {}
    for student, entry in entries.items():
        total = totals.get(student)
        if entry.get("status") == "graded" and total is not None and total.submitted:
            entry = dict(entry, score=total.score, raw_score=total.raw, late_penalty=total.penalty,
                         max_score=total.max_score)
        merged[student] = entry
    return merged


def write_report(folder, assignment, entries, run, totals=None, late=None):
    """report.json and report.md in ``folder``; ``entries``: student -> latest journal entry; ``totals``: student ->
    the gradebook's StudentScore; ``late``: students the LMS marked late.  A run without any submission leaves an
    existing report as it was (and returns None)."""
    if not entries and (folder / "report.md").exists():
        return None
    entries = with_gradebook_totals(entries, totals or {})
    for student in late or ():
        if student in entries:
            entries[student] = dict(entries[student], lms_late=True)
    graded = {s: e for s, e in entries.items() if e.get("status") == "graded"}
    failed = {s: e for s, e in entries.items() if e.get("status") != "graded"}
    flagged = {s: e for s, e in graded.items() if e.get("flags")}
    data = {"assignment": assignment, "run": run, "graded": len(graded), "failed": len(failed),
            "flagged": len(flagged), "submissions": entries}
    (folder / "report.json").write_text(json.dumps(data, indent=1, ensure_ascii=False))

    lines = [f"# Autograding report: {assignment}", "",
             f"{len(entries)} submissions: {len(graded)} graded ({len(flagged)} flagged for a look), "
             f"{len(failed)} failed.", "",
             f"Last run: {run['graded']} graded, {run['failed']} failed, {run['skipped']} already graded "
             f"(skipped), in {run['seconds']:.1f} s with {run['executor']}.", ""]
    lines += [f"What the class missed: `python -m grading analyze {assignment}` → [analysis.html](analysis.html)", ""]
    if failed:
        lines += ["## Failed — not graded (fix the cause and run again; graded ones are skipped)", ""]
        lines += [f"- **{s}**: {e.get('reason') or 'unknown reason'}" for s, e in sorted(failed.items())]
        lines.append("")
    if flagged:
        lines += ["## Flagged — graded, but worth a look", ""]
        for student, entry in sorted(flagged.items()):
            lines.append(f"- **{student}** ({_score(entry)}):")
            lines += [f"  - {code}: {message}" for code, message in entry["flags"][:12]]
            if len(entry["flags"]) > 12:
                lines.append(f"  - … and {len(entry['flags']) - 12} more")
        lines.append("")
    lines += ["## All submissions", "", "Scores are the gradebook's: manual scores included, late penalty subtracted.",
              "", "| student | status | score | flags |", "|---|---|---|---|"]
    for student, entry in sorted(entries.items()):
        status = entry.get("status", "?") + (" (late in the LMS)" if entry.get("lms_late") else "")
        score = _score(entry) if entry.get("status") == "graded" else "—"
        lines.append(f"| {student} | {status} | {score} | {len(entry.get('flags') or [])} |")
    (folder / "report.md").write_text("\n".join(lines) + "\n")
    return folder / "report.md"
