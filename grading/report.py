"""The end-of-run report for the instructor: every submission with its score, flags, or failure reason."""
from __future__ import annotations

import json


def _score(entry):
    return f"{entry.get('score', 0):g} / {entry.get('max_score', 0):g}"


def write_report(folder, assignment, entries, run):
    """report.json and report.md in ``folder``; ``entries``: student -> latest journal entry."""
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
    lines += ["## All submissions", "", "| student | status | score | flags |", "|---|---|---|---|"]
    for student, entry in sorted(entries.items()):
        status = entry.get("status", "?")
        score = _score(entry) if status == "graded" else "—"
        lines.append(f"| {student} | {status} | {score} | {len(entry.get('flags') or [])} |")
    (folder / "report.md").write_text("\n".join(lines) + "\n")
    return folder / "report.md"
