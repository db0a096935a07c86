"""Start the student's code in a bubblewrap sandbox and talk to it over two pipes.

What the student's process sees (``bwrap`` namespaces, see ``sandbox_command``):

* no network (a new, empty network namespace), its own process tree (a PID namespace: every process it starts
  dies with it), a new session (no access to the grader's terminal);
* read-only: ``/usr`` and the Python installation (the venv and its base interpreter) — nothing else of the
  machine: not the course directory, not ``solutions/``, not ``gradebook.db``, not other students' work, not
  ``nnlib`` (its editable install points into the repository, which is not mounted);
* read-only: a ``grading`` package holding only ``asserts.py`` (so the setup cell's import works), the runner,
  and a copy of the student's own submitted files;
* writable: only a size-limited tmpfs scratch folder (where the runner copies the submission) and a small /tmp;
* an unprivileged uid (the runner drops root right after it starts), with hard rlimits on CPU time, address
  space, processes, file size and open files, and a wall-time limit enforced from outside (``KernelProcess``).

``--unsandboxed`` runs the same runner as a plain subprocess with the same rlimits: no isolation at all.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .. import protocol
from ..files import SKIPPED_DIRS, open_entry, readable, walk
from ..limits import Limits

GRADING = Path(__file__).resolve().parent.parent     # the grading package
BOX_HOME = "/home/student"
BOX_GRADER = "/opt/grader"
F_SETPIPE_SZ = 1031


class SandboxUnavailable(Exception):
    """bubblewrap is missing or does not work here."""


class KernelDied(Exception):
    """The student's process ended (it exited, crashed, or was killed by a limit)."""


class KernelTimeout(Exception):
    """The student's process did not answer in time."""


class MessageTooLarge(protocol.ProtocolError):
    """The student's process sent more data at once than the grader accepts."""


# -- what the sandbox may see ----------------------------------------------------------------------------------

def python_paths():
    """sys.path entries of this interpreter that belong to the Python installation (not the repository)."""
    prefixes = [os.path.realpath(p) for p in {sys.prefix, sys.base_prefix}]
    paths = []
    for entry in sys.path:
        real = os.path.realpath(entry) if entry else ""
        if real and os.path.isdir(real) and any(real == p or real.startswith(p + os.sep) for p in prefixes):
            paths.append(real)
    return paths


def _system_binds():
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "lib", "lib32", "lib64", "libx32", "sbin"):
        path = Path("/" + name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    if os.path.exists("/etc/ld.so.cache"):
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    return args


def _dirs_with_parents(paths):
    """``--dir`` for every parent of the mount points, readable by the unprivileged uid (bwrap makes them 0700)."""
    parents = set()
    for path in paths:
        parent = Path(path).parent
        while str(parent) != "/":
            parents.add(str(parent))
            parent = parent.parent
    args = []
    for parent in sorted(parents, key=lambda p: p.count("/")):
        args += ["--perms", "0755", "--dir", parent]
    return args


def python_binds():
    roots = sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)})
    args = _dirs_with_parents(roots)
    for root in roots:
        args += ["--ro-bind", root, root]
    if os.path.realpath(sys.executable) != sys.executable and not any(
            sys.executable.startswith(r + os.sep) for r in roots):
        args += ["--ro-bind", sys.executable, sys.executable]
    return args


def check_course_not_exposed(course_root):
    """Refuse to grade when the course directory would be visible through the Python installation's binds."""
    course = os.path.realpath(course_root)
    for root in {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, "/usr", "/bin", "/lib", "/lib64")}:
        if course == root or course.startswith(root + os.sep):
            raise SandboxUnavailable(f"the course directory {course} lies inside {root}, which the sandbox mounts "
                                     f"read-only for Python: move the course (or the venv) elsewhere")


def bwrap_executable():
    return shutil.which("bwrap")


def check_sandbox():
    """Raise SandboxUnavailable, saying why, unless a bubblewrap sandbox can run Python here."""
    bwrap = bwrap_executable()
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed; install the Debian/Ubuntu package "
                                 "'bubblewrap' (apt-get install bubblewrap)")
    argv = [bwrap, *_namespace_args(), *_system_binds(), *python_binds(), "--proc", "/proc", "--dev", "/dev",
            sys.executable, "-I", "-S", "-c", "print('ok')"]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SandboxUnavailable(f"bubblewrap could not start: {error}") from None
    if result.returncode != 0 or result.stdout.strip() != "ok":
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SandboxUnavailable(f"bubblewrap does not work here ({detail[0]}); user namespaces may be disabled")


def _namespace_args():
    common = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
              "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if os.geteuid() == 0:
        # Privileged bwrap (no user namespace): the runner keeps only the capabilities to drop to another uid,
        # so that RLIMIT_NPROC applies (the kernel never enforces it for root).
        return common + ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return common + ["--unshare-user"]


# -- one submission's staging folder ---------------------------------------------------------------------------

MAX_SUBMISSION_FILES = 2000


def _copy_regular_files(source, target, budget):
    """Copy regular files only (``grading.files.walk``: no links followed, nothing but folders opened, bounded
    depth); returns the names skipped, with why, as printable text."""
    skipped, count = [], 0
    why = {"symlink": "not a regular file", "other": "not a regular file", "too-deep": "nested too deeply",
           "too-many": "too many files", "unreadable": "could not be read"}
    for entry in walk(source, skip_dirs=SKIPPED_DIRS):
        destination = os.path.join(target, entry.path)
        if entry.kind == "dir":
            os.makedirs(destination, mode=0o755, exist_ok=True)
        elif entry.kind != "file":
            skipped.append(f"{readable(entry.path or '.')} ({why[entry.kind]})")
        elif entry.size > budget[0]:
            skipped.append(f"{readable(entry.path)} (too large)")
        elif count >= MAX_SUBMISSION_FILES:
            skipped.append(f"{readable(entry.path)} (too many files)")
        elif not _copy_entry(entry, destination, budget):
            skipped.append(f"{readable(entry.path)} (could not be read)")
        else:
            count += 1
    return skipped


def _copy_entry(entry, destination, budget):
    f = open_entry(entry)
    if f is None:
        return False
    with f, open(destination, "wb") as out:
        left = budget[0]
        for block in iter(lambda: f.read(1 << 20), b""):
            left -= len(block)
            if left < 0:            # it grew while being copied
                break
            out.write(block)
    os.chmod(destination, 0o644)
    budget[0] = max(left, 0)
    return left >= 0


class Staging:
    """A temporary folder with what the sandbox mounts: runner, asserts helper, and the submission's files."""

    def __init__(self, submission_dir, extra_files, limits: Limits):
        self.root = Path(tempfile.mkdtemp(prefix="grading-"))
        os.chmod(self.root, 0o755)
        runner = self.root / "runner"
        lib = self.root / "lib" / "grading"
        lib.mkdir(parents=True, mode=0o755)
        runner.mkdir(mode=0o755)
        os.chmod(lib.parent, 0o755)
        shutil.copyfile(GRADING / "sandboxed" / "runner.py", runner / "runner.py")
        shutil.copyfile(GRADING / "protocol.py", runner / "protocol.py")
        shutil.copyfile(GRADING / "asserts.py", lib / "asserts.py")
        (lib / "__init__.py").write_text('"""The assertion helpers of the problem sets (nothing else)."""\n')
        submission = self.root / "submission"
        submission.mkdir(mode=0o755)
        budget = [limits.max_submission_mb * 1024 * 1024]
        self.skipped = _copy_regular_files(submission_dir, submission, budget) if submission_dir else []
        for relname, path in extra_files:          # the assignment's own data files win, as in nbgrader
            destination = submission / relname
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            os.chmod(destination, 0o644)
        for path in [runner / "runner.py", runner / "protocol.py", lib / "asserts.py", lib / "__init__.py"]:
            os.chmod(path, 0o644)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


def sandbox_uid(pid=None):
    """A uid of its own per grading process (no user has it), so RLIMIT_NPROC counts only this sandbox.

    ``pid`` (default: this process) is the grading worker's; the journal records it for every submission.
    """
    return 100_000 + (os.getpid() if pid is None else pid) % 800_000


def _user_process_count():
    uid, count = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def runner_command(staging: Staging, limits: Limits, fds, sandboxed, workdir_name):
    """The argv that starts the runner, in the sandbox or (unsandboxed) directly."""
    runner_limits = limits.for_runner()
    uid = None
    if os.geteuid() != 0 or not sandboxed:
        # Without a uid of its own, RLIMIT_NPROC counts all of this user's processes (and root ignores it).
        runner_limits["processes"] = (_user_process_count() + limits.processes) if os.geteuid() != 0 else None
    else:
        uid = sandbox_uid()
    if sandboxed:
        grader, home = BOX_GRADER, BOX_HOME
    else:
        grader, home = str(staging.root), str(staging.root / "home")
        os.makedirs(home, exist_ok=True)
    runner = [sys.executable, "-I", "-S", f"{grader}/runner/runner.py",
              "--fd-in", str(fds[0]), "--fd-out", str(fds[1]), "--limits", json.dumps(runner_limits),
              "--submission", f"{grader}/submission", "--workdir", f"{home}/{workdir_name}",
              "--path", f"{grader}/lib"]
    for path in python_paths():
        runner += ["--path", path]
    if uid is not None:
        runner += ["--uid", str(uid)]
    if not sandboxed:
        return runner
    mb = 1024 * 1024
    bwrap = bwrap_executable()
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed on this machine")
    # /tmp is mounted before the Python installation, which may itself live under /tmp (a fresh clone's
    # .venv): bwrap applies mounts in order, so a later tmpfs would hide it.
    return [bwrap, *_namespace_args(), *_system_binds(),
            "--perms", "1777", "--size", str(max(limits.scratch_mb // 4, 16) * mb), "--tmpfs", "/tmp",
            *python_binds(),
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(limits.scratch_mb * mb), "--tmpfs", BOX_HOME,
            "--perms", "0755", "--dir", BOX_GRADER,
            "--ro-bind", str(staging.root / "runner"), f"{BOX_GRADER}/runner",
            "--ro-bind", str(staging.root / "lib"), f"{BOX_GRADER}/lib",
            "--ro-bind", str(staging.root / "submission"), f"{BOX_GRADER}/submission",
            "--chdir", BOX_HOME, *runner]


SANDBOX_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": BOX_HOME,
    "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/matplotlib", "PYTHONDONTWRITEBYTECODE": "1",
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0",
}
# The instructor's choice of BLAS kernels, NumPy SIMD level and BLAS threads (e.g. OPENBLAS_CORETYPE,
# NPY_DISABLE_CPU_FEATURES: to grade as another CPU would, tests/course/test_problem_sets_variants.py) reaches the
# kernel; nothing else of the grader's environment does.
CPU_SETTINGS = re.compile(r"(OPENBLAS|NPY|OMP)_[A-Z0-9_]+")


def cpu_settings(environ=None):
    """The grader's ``OPENBLAS_*``, ``NPY_*`` and ``OMP_*`` variables."""
    return {k: v for k, v in (os.environ if environ is None else environ).items() if CPU_SETTINGS.fullmatch(k)}


# -- the running process -----------------------------------------------------------------------------------------

class KernelProcess:
    """One runner process: start it, send and receive messages with deadlines, kill it."""

    def __init__(self, staging: Staging, limits: Limits, sandboxed: bool, workdir_name: str):
        self.limits, self.sandboxed = limits, sandboxed
        to_kernel_r, self._w = os.pipe()
        self._r, from_kernel_w = os.pipe()
        for fd in (self._w, self._r):
            try:
                fcntl.fcntl(fd, F_SETPIPE_SZ, 1 << 20)
            except OSError:
                pass
        env = {**SANDBOX_ENV, **cpu_settings()}
        if not sandboxed:
            env["HOME"] = str(staging.root / "home")
            env["MPLCONFIGDIR"] = str(staging.root / "home" / ".matplotlib")
        try:
            argv = runner_command(staging, limits, (to_kernel_r, from_kernel_w), sandboxed, workdir_name)
            self.process = subprocess.Popen(argv, pass_fds=(to_kernel_r, from_kernel_w), stdin=subprocess.DEVNULL,
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                            start_new_session=True, cwd=str(staging.root))
        except BaseException:
            os.close(self._w)
            os.close(self._r)
            raise
        finally:
            os.close(to_kernel_r)
            os.close(from_kernel_w)
        os.set_blocking(self._w, False)
        self._buffer = bytearray()
        self._scanned = 0
        self.console = bytearray()          # the first few kB of the process's own stdout/stderr
        self._drain = threading.Thread(target=self._drain_console, daemon=True)
        self._drain.start()

    def _drain_console(self):
        stream = self.process.stdout
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            if len(self.console) < 8192:
                self.console += chunk[:8192 - len(self.console)]

    # -- messages ---------------------------------------------------------------------------------------------
    def send(self, message, deadline):
        view = memoryview(protocol.dumps(message))
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise KernelTimeout()
            _, writable, _ = select.select([], [self._w], [], remaining)
            if not writable:
                raise KernelTimeout()
            try:
                written = os.write(self._w, view[:1 << 20])
            except BlockingIOError:
                continue
            except (BrokenPipeError, OSError):
                raise KernelDied(self.exit_reason()) from None
            view = view[written:]

    def receive(self, deadline):
        limit = self.limits.max_message_mb * 1024 * 1024
        while True:
            newline = self._buffer.find(b"\n", self._scanned)
            if newline >= 0:
                line = bytes(self._buffer[:newline])
                del self._buffer[:newline + 1]
                self._scanned = 0
                return protocol.loads(line)
            self._scanned = len(self._buffer)
            if len(self._buffer) > limit:
                raise MessageTooLarge(f"more than {self.limits.max_message_mb} MB of data")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise KernelTimeout()
            readable, _, _ = select.select([self._r], [], [], remaining)
            if not readable:
                raise KernelTimeout()
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise KernelDied(self.exit_reason())
            self._buffer += chunk

    # -- the end --------------------------------------------------------------------------------------------------
    def exit_reason(self):
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            return "it stopped answering and was stopped"
        signum = -code if code < 0 else (code - 128 if self.sandboxed and code > 128 else None)
        if signum == signal.SIGXCPU:
            return f"it used up its CPU-time limit ({self.limits.cpu_seconds} s)"
        if signum == signal.SIGKILL:
            return "it was killed (out of memory, or by the grader)"
        if signum == signal.SIGXFSZ:
            return f"it wrote a file larger than {self.limits.file_size_mb} MB"
        if signum is not None:
            try:
                name = signal.Signals(signum).name
            except ValueError:
                name = f"signal {signum}"
            return f"it crashed ({name})"
        return f"it exited with status {code}"

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def close(self):
        self.kill()
        for fd in (self._w, self._r):
            try:
                os.close(fd)
            except OSError:
                pass
        self._drain.join(timeout=2)
        if self.process.stdout:
            self.process.stdout.close()
