"""Command line of the course tooling: ``python -m grading COMMAND ...`` (autograde, watch, export, analyze,
similarity, check, release, students-setup; run in the course folder, where nbgrader_config.py is, or any folder
below it).  ``python -m grading COMMAND --help`` explains each command."""
from __future__ import annotations

import argparse
import os
import sys
import textwrap

from .limits import Limits

COURSE_HELP = "course folder with nbgrader_config.py (default: the working folder or the nearest one above it)"


def _refuse(error):
    print(f"refusing to grade: {error}.\nStudent code must run in a sandbox. To grade without isolation anyway "
          f"(it can then read and change your files), pass --unsandboxed.", file=sys.stderr)
    return 2


def _course_root(args):
    """The course folder: --course, or the nearest folder at or above the working folder with nbgrader_config.py."""
    from .course import NotACourse, find_course_root
    if args.course is not None:
        if not os.path.isfile(os.path.join(args.course, "nbgrader_config.py")):
            raise NotACourse(f"{os.path.abspath(args.course)} has no nbgrader_config.py: --course must be the course "
                             f"folder")
        return args.course
    return str(find_course_root(os.getcwd()))


def _interrupted(summary):
    print(f"interrupted: {summary.graded} submission(s) graded and saved in this run ({summary.failed} failed, "
          f"{summary.skipped} already graded); run the same command again to resume (finished ones are skipped).",
          file=sys.stderr)
    return 130


def _limits(args):
    """The Limits of the command line (--timeout, ...), and the warning of --unsandboxed."""
    defaults = Limits()
    if args.unsandboxed:
        print("WARNING: --unsandboxed: the students' code runs with your permissions and can read and change "
              "your files (solutions, gradebook). Marks are still decided outside their process.", file=sys.stderr)
    return Limits(notebook_seconds=args.timeout or defaults.notebook_seconds,
                  cell_seconds=args.cell_timeout or defaults.cell_seconds,
                  call_seconds=args.call_timeout or defaults.call_seconds,
                  memory_mb=args.memory_mb or defaults.memory_mb,
                  cpu_seconds=args.cpu_seconds or defaults.cpu_seconds)


def _watch(args):
    from .marking.sandbox import SandboxUnavailable, check_sandbox
    if not args.unsandboxed:
        try:
            check_sandbox()
        except SandboxUnavailable as error:
            return _refuse(error)
    from .gradebook import GradebookError
    from .watch import watch
    try:
        return watch(args.course, args.assignment, workers=args.workers, unsandboxed=args.unsandboxed,
                     limits=_limits(args), interval=args.interval, log=lambda m: print(m, file=sys.stderr))
    except SandboxUnavailable as error:
        return _refuse(error)
    except (FileNotFoundError, GradebookError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _add_limit_arguments(parser):
    parser.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    parser.add_argument("--unsandboxed", action="store_true",
                        help="run student code without bubblewrap (no isolation: only if you trust the code)")
    parser.add_argument("--course", help=COURSE_HELP)
    parser.add_argument("--timeout", type=float, help=f"wall seconds per notebook (default "
                                                      f"{Limits.notebook_seconds:g})")
    parser.add_argument("--cell-timeout", type=float, help=f"wall seconds per student cell (default "
                                                           f"{Limits.cell_seconds:g})")
    parser.add_argument("--call-timeout", type=float, help=f"wall seconds per call of a student function (default "
                                                           f"{Limits.call_seconds:g})")
    parser.add_argument("--memory-mb", type=int, help=f"address-space limit (default {Limits.memory_mb})")
    parser.add_argument("--cpu-seconds", type=int, help=f"CPU-time limit (default {Limits.cpu_seconds})")


def _add_watch_command(commands):
    watch = commands.add_parser(
        "watch", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="grade each new submission in the exchange at once and release a preview (per-student budget)",
        description=textwrap.dedent("""\
            Leave running while ASSIGNMENT is open. Each new `nbgrader submit` is graded in the same sandbox as
            autograde and its preview released through nbgrader's feedback path (`nbgrader fetch_feedback`, the
            Assignment List): points and pass/fail per test, the visible tests' messages, for a hidden test only
            the task and concepts that failed. At most c.Watch.feedback_runs previews per student per
            c.Watch.budget_hours (nbgrader_config.py; default 3 per 24 h); later submissions are kept and told
            when the next run is available. Nothing goes into the gradebook: at the deadline, `nbgrader collect`
            and `python -m grading autograde` grade as always. SIGTERM or Ctrl-C stop it (exit 0 or 130); a
            restart resumes (state in autograded/.grading/ASSIGNMENT/watch/)."""))
    watch.add_argument("assignment", help="assignment name, e.g. ps01_neuron (a folder of solutions/)")
    watch.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the exchange (1)")
    _add_limit_arguments(watch)
    watch.set_defaults(run=_watch)


def _autograde(args):
    from .marking.sandbox import SandboxUnavailable, check_sandbox
    if not args.unsandboxed:
        try:
            check_sandbox()             # first, before the slow imports of nbgrader
        except SandboxUnavailable as error:
            return _refuse(error)
    from .autograde import ChangeableSubmissions, Interrupted, NoSubmissions, autograde
    from .gradebook import GradebookError
    limits = _limits(args)
    try:
        summary = autograde(args.course, args.assignment, workers=args.workers, scheduler=args.scheduler,
                            unsandboxed=args.unsandboxed, limits=limits, students=args.student, force=args.force,
                            progress=not args.no_progress, log=lambda m: print(m, file=sys.stderr))
    except SandboxUnavailable as error:
        return _refuse(error)
    except NoSubmissions as error:
        print(f"nothing graded: {error} (the report was left as it was).", file=sys.stderr)
        return 1
    except ChangeableSubmissions as error:
        print(f"refusing to grade: {error}", file=sys.stderr)
        return 2
    except Interrupted as stop:
        return _interrupted(stop.summary)
    except (FileNotFoundError, GradebookError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary.text())
    for student, reason in sorted(summary.failures.items()):
        print(f"  FAILED {student}: {reason}")
    return 1 if summary.failed else 0


def _export(args):
    from .course import Course
    from .export import ExportError, export
    try:
        path, students = export(Course(args.course), args.assignment, fmt=args.format, output=args.output,
                                column=args.column, per_question=args.questions)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path} ({students} students, format {args.format})")
    return 0


def _check(args):
    from .check import check
    return check(args.notebook, timeout=args.timeout)


def _release(args):
    from .release import release
    return release(args.course, args.assignment or None)


def _students_setup(args):
    from .students_setup import SetupError, students_setup
    try:
        students_setup(args.course, args.exchange, args.prefix, instructor=args.instructor, python=args.python)
    except (SetupError, KeyError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _add_setup_command(commands):
    setup = commands.add_parser(
        "students-setup", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="one shared machine or JupyterHub: the students' environment apart, the course folder private",
        description=textwrap.dedent("""\
            Run once as root (sudo) from the course folder; running it again updates everything.
            Makes PREFIX a Python environment for students (JupyterLab, Notebook, nbgrader's Assignment List and
            Validate, NumPy, nnlib, `python -m grading check`) whose nbgrader settings hold only the course id and
            the exchange (no Formgrader, no Create Assignment, no gradebook); makes EXCHANGE with nbgrader's
            modes and remembers it in course_exchange.txt; makes the course folder the instructor's alone
            (solutions/, gradebook.db, submitted/, autograded/, feedback/, downloaded/, exports/)."""))
    setup.add_argument("--exchange", required=True, help="the exchange folder, e.g. /srv/nbgrader/exchange")
    setup.add_argument("--prefix", required=True, help="the students' environment, e.g. /opt/neural-networks")
    setup.add_argument("--instructor", help="the instructor's account (default: the course folder's owner)")
    setup.add_argument("--python", help="the Python to base the students' environment on, one every account may run "
                                         "(default: the one running this command)")
    setup.add_argument("--course", help=COURSE_HELP)
    setup.set_defaults(run=_students_setup)


def _insight(run):
    """Run an analysis command; an InsightError (never graded, empty class, ...) is one line and exit status 2."""
    from .insight.records import InsightError
    try:
        print(run().summary())
    except (InsightError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _analyze(args):
    from .insight.analyze import analyze
    return _insight(lambda: analyze(args.course, args.assignment, help_below=args.help_below,
                                    log=lambda m: print(m, file=sys.stderr)))


def _similarity(args):
    from .insight.similarity import similarity
    return _insight(lambda: similarity(args.course, args.assignment, threshold=args.threshold))


def _add_insight_commands(commands):
    analyze = commands.add_parser(
        "analyze", help="item analysis of a graded assignment: per test cell and per concept (HTML + CSV)",
        description="Per test cell of ASSIGNMENT: pass rate, points distribution, most common failure kinds; per "
                    "concept (the test cells' 'curriculum' metadata) the class's share of the points across all graded "
                    "assignments and the students who may need help. Reads the gradebook and the grading journal; "
                    "writes analysis.html, analysis.csv and concepts.csv to autograded/.grading/ASSIGNMENT/.")
    analyze.add_argument("assignment", help="a graded assignment, e.g. ps01_neuron")
    analyze.add_argument("--help-below", type=float, default=0.5, metavar="SHARE",
                         help="list students below this share of a concept's points (default 0.5)")
    analyze.add_argument("--course", help=COURSE_HELP)
    analyze.set_defaults(run=_analyze)

    similar = commands.add_parser(
        "similarity", help="pairs of students whose answer cells are alike (evidence for a human, never a penalty)",
        description="Compare the answer cells of every submitted/<student>/ASSIGNMENT/ notebook, ignoring the "
                    "released template, renamed variables, comments, whitespace and the order of functions; code "
                    "that many students share is not evidence. Writes similarity.html (ranked pairs, side by side) "
                    "and similarity.csv to autograded/.grading/ASSIGNMENT/.")
    similar.add_argument("assignment", help="assignment name, e.g. ps01_neuron")
    similar.add_argument("--threshold", type=float, default=0.8,
                         help="list pairs in which at least this share of each student's code (weighted by rarity) "
                              "is in the other's (default 0.8)")
    similar.add_argument("--course", help=COURSE_HELP)
    similar.set_defaults(run=_similarity)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser(
        "autograde", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="grade every submission of an assignment (sandboxed, parallel, resumable)",
        description=textwrap.dedent("""\
            Grade every submitted/<student>/ASSIGNMENT/ into nbgrader's gradebook and autograded/.

            Each submission's code runs in a bubblewrap sandbox (no network, no course files, resource and time
            limits); the tests from solutions/ run in this trusted process and decide the marks. Finished
            submissions are journaled: a re-run or a run resumed after a crash skips them. Afterwards
            `nbgrader generate_feedback ASSIGNMENT` and `nbgrader export` work as usual; the report is in
            autograded/.grading/ASSIGNMENT/report.md. Exit status: 0 all graded, 1 some failed, 2 refused."""))
    grade.add_argument("assignment", help="assignment name, e.g. ps01_neuron (a folder of solutions/)")
    grade.add_argument("--scheduler", metavar="ADDRESS", help="grade on a Dask cluster, e.g. tcp://10.0.0.5:8786")
    grade.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
    grade.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    _add_limit_arguments(grade)
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    grade.set_defaults(run=_autograde)

    check = commands.add_parser("check", help="student self-check: run a notebook's visible tests",
                                description="Run NOTEBOOK in a fresh kernel, list the failing test cells with their "
                                            "messages, exit 1 if any fails (0 if all pass).")
    check.add_argument("notebook", help="path to your notebook, e.g. exercises/ps01_neuron/ps01_neuron.ipynb")
    check.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    check.set_defaults(run=_check)

    rel = commands.add_parser("release", help="regenerate exercises/ from solutions/ and verify nothing leaked",
                              description="nbgrader generate_assignment --force for each assignment, then check "
                                          "that no solution or hidden test reached exercises/.")
    rel.add_argument("assignment", nargs="*", help="assignments (default: every folder of solutions/)")
    rel.add_argument("--course", help=COURSE_HELP)
    rel.set_defaults(run=_release)
    _add_insight_commands(commands)
    _add_watch_command(commands)
    _add_setup_command(commands)

    out = commands.add_parser(
        "export", help="the gradebook's scores as a file Canvas imports (or as CSV)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.dedent("""\
            Write ASSIGNMENT's scores from the gradebook (manual scores included, the late-submission penalty of
            nbgrader_config.py subtracted, as in `nbgrader export`) to exports/ASSIGNMENT-FORMAT.csv.
            canvas: Student,ID,SIS User ID,SIS Login ID,Section,<column> plus a Points Possible row, for Canvas's
            Gradebook > Import. csv: one row per student with raw score, penalty, score, LMS late mark and every
            test cell's score."""))
    out.add_argument("assignment", help="assignment name, e.g. ps01_neuron")
    out.add_argument("--format", choices=["canvas", "csv"], default="canvas", help="file layout (default canvas)")
    out.add_argument("--output", metavar="PATH", help="where to write (default exports/ASSIGNMENT-FORMAT.csv)")
    out.add_argument("--column", help="title of the score column in Canvas (default: the assignment name; use "
                                      "Canvas's 'Name (id)' to update an existing Canvas assignment)")
    out.add_argument("--questions", action="store_true", help="canvas: add a column per test cell")
    out.add_argument("--course", help=COURSE_HELP)
    out.set_defaults(run=_export)

    args = parser.parse_args(argv)
    from .course import NotACourse
    try:
        if hasattr(args, "course"):
            args.course = _course_root(args)
        return args.run(args)
    except NotACourse as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted before anything was saved; run the same command again.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
