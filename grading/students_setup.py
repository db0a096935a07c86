"""``python -m grading students-setup``: students and instructor on one shared machine (or a JupyterHub).

Run once as root from the course folder (the instructor's clone); it makes three things:

1. **The students' environment**, apart from the course folder: a venv at PREFIX with JupyterLab, Notebook 7,
   nbgrader's Assignment List and Validate, NumPy and nnlib (and ``python -m grading check``), at the versions
   requirements.txt pins, on ``--python`` (default: the one that runs this command).  Its
   ``etc/jupyter/nbgrader_config.py`` holds only the course id, the exchange and the Validate settings: no
   gradebook, no course paths.  nbgrader's Formgrader, Create Assignment and Course List are switched off there
   (server and JupyterLab extensions).
2. **The exchange** outside the course folder, with nbgrader's own modes: the root 1777 (anyone may add, nobody
   may remove another's entry), the course's folder the instructor's, ``inbound/`` write-only for students (2733),
   ``outbound/`` readable (755), ``feedback/`` reachable only by a hash a student knows (711).  The course remembers
   it in ``course_exchange.txt``, which ``nbgrader_config.py`` reads.
3. **The course folder the instructor's alone**: the folder 0700, and in it ``solutions/``,
   ``submitted/``, ``autograded/``, ``feedback/``, ``downloaded/``, ``exports/`` 0700 and ``gradebook.db`` 0600,
   owned by the instructor (the owner of the course folder unless ``--instructor`` says otherwise).
"""
from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from .course import Course
from .errors import SetupError
from .student_settings import install_validate_kernel, validate_lines

# What students need, at the versions requirements.txt pins.
STUDENT_PACKAGES = ["numpy", "matplotlib", "plotly", "tqdm", "scikit-learn", "ipykernel", "ipywidgets", "jupyterlab",
                    "notebook", "jupyterlab-myst", "nbgrader"]
# The course's own packages students use: nnlib for the chapters, grading for `python -m grading check`.
STUDENT_SOURCES = ["nnlib", "grading"]
FEEDBACK_LINK = Path("share/jupyter/labextensions/nn-course-feedback")    # built by make install
INSTRUCTOR_EXTENSIONS = {
    "server": ["nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list"],
    "lab": ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list"],
}
PRIVATE_FOLDERS = ["solutions", "submitted", "autograded", "feedback", "downloaded", "exports"]
EXCHANGE_FILE = "course_exchange.txt"
# nbgrader's modes (nbgrader/exchange/default/release_assignment.py and release_feedback.py, not group-shared).
EXCHANGE_MODES = {"": 0o755, "inbound": 0o2733, "outbound": 0o755, "feedback": 0o711}


def students_setup(course_root, exchange, prefix, instructor=None, python=None, log=print):
    course = Course(course_root)
    exchange, prefix = Path(exchange).absolute(), Path(prefix).absolute()
    if prefix == course.root or course.root in prefix.parents:
        raise SetupError(f"--prefix {prefix} is inside the course folder, which students may not read")
    if exchange == course.root or course.root in exchange.parents:
        raise SetupError(f"--exchange {exchange} is inside the course folder, which students may not read")
    owner = pwd.getpwnam(instructor) if instructor else pwd.getpwuid(course.root.stat().st_uid)
    gid = owner.pw_gid
    if os.geteuid() not in (0, owner.pw_uid):
        raise SetupError(f"run this as root (sudo) or as the instructor {owner.pw_name}")
    python = python or sys.executable
    if not runs_for_everyone(python):
        raise SetupError(f"{os.path.realpath(python)} (the Python of the students' environment) or a folder above it "
                         f"is not open to other accounts: pass --python with one that is, e.g. /usr/bin/python3")
    build_environment(prefix, course.root, python, log)
    write_student_config(prefix, course.course_id, exchange)
    log(f"students' settings: {prefix / 'etc/jupyter/nbgrader_config.py'}")
    make_exchange(exchange, course.course_id, owner.pw_uid, gid)
    (course.root / EXCHANGE_FILE).write_text(f"{exchange}\n")
    os.chown(course.root / EXCHANGE_FILE, owner.pw_uid, gid)
    log(f"exchange: {exchange} (remembered in {course.root / EXCHANGE_FILE})")
    make_course_private(course.root, owner.pw_uid, gid)
    log(f"course folder {course.root}: 0700, owned by {owner.pw_name}")
    log(f"students start JupyterLab with: {prefix / 'bin/jupyter'} lab")


def _run(argv, log):
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode:
        raise SetupError(f"{' '.join(map(str, argv))} failed:\n{result.stdout}{result.stderr}")


def runs_for_everyone(python):
    """Whether every account may run ``python``: the file and each folder above it (after links) open to others."""
    real = Path(os.path.realpath(python))
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in (real, *real.parents))


def install_packages(prefix, python, requirements, extra=(), log=print):
    """A venv at ``prefix`` (on ``python``) with STUDENT_PACKAGES (and ``extra``) at the versions ``requirements``
    pins, and the kernel Validate runs notebooks in; returns its site-packages folder."""
    if not (prefix / "bin/python").exists():
        _run([python, "-m", "venv", str(prefix)], log)
    log(f"installing {', '.join(STUDENT_PACKAGES)} into {prefix} ...")
    _run([prefix / "bin/python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c",
          requirements, *STUDENT_PACKAGES, *extra], log)
    install_validate_kernel(str(prefix))
    return Path(subprocess.run([prefix / "bin/python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())


def build_environment(prefix, course_root, python, log):
    """The students' packages, nnlib + grading copied in (not linked: the course folder is private), the
    instructor's extensions off, everything readable by all and writable by root alone."""
    site = install_packages(prefix, python, course_root / "requirements.txt", log=log)
    for package in STUDENT_SOURCES:
        shutil.rmtree(site / package, ignore_errors=True)
        shutil.copytree(course_root / package, site / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _run([prefix / "bin/python", "-m", "compileall", "-q", *(str(site / p) for p in STUDENT_SOURCES)], log)
    _install_feedback_link(prefix, course_root, log)
    for kind, names in INSTRUCTOR_EXTENSIONS.items():
        for name in names:
            command = ["server", "extension"] if kind == "server" else ["labextension"]
            level = ["--sys-prefix"] if kind == "server" else ["--level=sys_prefix"]
            _run([prefix / "bin/jupyter", *command, "disable", *level, name], log)
    for path in [prefix, *prefix.rglob("*")]:       # readable by every account, writable by none but root
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode):
            executable = stat.S_ISDIR(mode) or mode & stat.S_IXUSR
            path.chmod(stat.S_IMODE(mode) & ~0o022 | (0o555 if executable else 0o444))


def _install_feedback_link(prefix, course_root, log):
    """The course's JupyterLab extension that opens a feedback page on one click of "(view feedback)"
    (labextension/nn-course-feedback), as `make install` built it for the course's own environment."""
    built = course_root / "build" / FEEDBACK_LINK
    if not (built / "package.json").exists():
        raise SetupError(f"{built} is missing: run `make install` in the course folder first (it builds it)")
    target = prefix / FEEDBACK_LINK
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(built, target)
    log(f"installed the feedback-link extension into {target}")


def student_config_text(course_id, exchange):
    lines = ['"""The students\' nbgrader settings (written by `python -m grading students-setup`): the course id and',
             'the exchange only, no gradebook and no course paths."""',
             "c = get_config()  # noqa: F821",
             f"c.CourseDirectory.course_id = {course_id!r}",
             f"c.Exchange.root = {str(exchange)!r}"]
    lines += validate_lines()           # Validate as grading runs a notebook (without nnlib)
    return "\n".join(lines) + "\n"


def write_student_config(prefix, course_id, exchange):
    path = prefix / "etc/jupyter/nbgrader_config.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(student_config_text(course_id, exchange))
    path.chmod(0o644)


def make_exchange(exchange, course_id, uid, gid):
    if not exchange.is_dir():
        exchange.mkdir(parents=True)
        exchange.chmod(0o1777)
    for name, mode in EXCHANGE_MODES.items():
        folder = exchange / course_id / name
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, uid, gid)
        folder.chmod(mode)


def _private(path, uid, gid):
    """``path`` and everything below it: owned by uid:gid, no access for others (symbolic links left alone)."""
    for folder, _, files in os.walk(path):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            mode = os.lstat(name).st_mode
            if not stat.S_ISLNK(mode):
                os.chown(name, uid, gid)
                os.chmod(name, 0o700 if stat.S_ISDIR(mode) else stat.S_IMODE(mode) & 0o700 | 0o600)


def make_course_private(root, uid, gid):
    for name in PRIVATE_FOLDERS:
        (root / name).mkdir(exist_ok=True)
        _private(root / name, uid, gid)
    gradebook = root / "gradebook.db"
    gradebook.touch()
    os.chown(gradebook, uid, gid)
    gradebook.chmod(0o600)
    os.chown(root, uid, gid)
    root.chmod(0o700)
