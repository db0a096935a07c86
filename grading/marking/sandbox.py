"""Start the student's code in a bubblewrap sandbox and talk to it over two pipes.

What the student's process sees (``bwrap`` namespaces, see ``sandbox_command``):

* no network (a new, empty network namespace), its own process tree (a PID namespace: every process it starts
  dies with it), a new session (no access to the grader's terminal);
* read-only: ``/usr`` and the Python installation (the venv and its base interpreter) — nothing else of the
  machine: not the course directory, not ``solutions/``, not ``gradebook.db``, not other students' work, not
  ``nnlib`` (its editable install points into the repository, which is not mounted);
* read-only: a ``grading`` package holding only ``asserts.py`` (so the setup cell's import works), the runner,
  and a copy of the student's own submitted files;
* writable: only a tmpfs capped in bytes and in files (``Limits.scratch_mb``, ``scratch_files``), seen as the home
  folder (where the runner copies the submission), /tmp and /dev/shm;
* a fresh unprivileged uid for every sandbox run (the runner drops root right after it starts), so nothing the
  kernel keys by uid is shared with an earlier sandbox; new IPC and network namespaces per run (SysV/POSIX IPC and
  abstract sockets die with it); a seccomp filter (``seccomp.py``) denying the keyrings and other kernel state
  that would outlive it;
* control groups of its own (``confinement.py``): all the memory it causes, its processes and its CPU share;
* hard rlimits on CPU time, address space, processes, file size and open files, and a wall-time limit enforced
  from outside (``KernelProcess``).

Without root the control groups and the file cap are missing: ``check_sandbox`` returns a warning saying so,
and the sandbox falls back to its strictest settings (memfd_create denied, /dev/shm and /tmp capped in bytes).

``--unsandboxed`` runs the same runner as a plain subprocess with the same rlimits: no isolation at all.
"""
from __future__ import annotations

import fcntl
import itertools
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
from . import confinement, seccomp

GRADING = Path(__file__).resolve().parent.parent     # the grading package
BOX_HOME = "/home/student"
BOX_GRADER = "/opt/grader"
F_SETPIPE_SZ = 1031
# Everything of the grader's that the sandbox sees (besides the submission): staging path <- grading package path.
JAIL_FILES = (("runner/runner.py", "sandboxed/runner.py"), ("runner/protocol.py", "protocol.py"),
              ("lib/grading/asserts.py", "asserts.py"), ("lib/grading/__init__.py", "sandboxed/jail_init.py"))


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
    """Raise SandboxUnavailable, saying why, unless a bubblewrap sandbox can run Python here; return warnings
    about what this machine cannot confine (grading goes on, with the strictest fallback)."""
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
    return confinement_warnings()


def confinement_warnings():
    warnings = []
    why = confinement.problem()
    if why:
        files = "" if os.geteuid() == 0 else ", the number of files in the scratch space"
        warnings.append(f"sandboxes get no control groups ({why}): memory outside the address-space limit (kernel "
                        f"objects, pages of the scratch space{files}) and CPU beyond one share are not capped; "
                        f"memfd_create is denied instead. Grade as root on a machine with the cgroup controllers "
                        f"memory, pids and cpu to close this.")
    try:
        seccomp.filter_program()
    except seccomp.SeccompUnavailable as error:
        warnings.append(f"sandboxes get no seccomp filter ({error}): keyrings and other kernel state are reachable")
    return warnings


def _seccomp_program(deny_memfd):
    try:
        return seccomp.filter_program(deny_memfd=deny_memfd)
    except seccomp.SeccompUnavailable:
        return None             # check_sandbox has warned


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
        for target, source in JAIL_FILES:
            path = self.root / target
            for folder in reversed(path.relative_to(self.root).parents[:-1]):
                (self.root / folder).mkdir(mode=0o755, exist_ok=True)
                os.chmod(self.root / folder, 0o755)
            shutil.copyfile(GRADING / source, path)
            os.chmod(path, 0o644)
        self.scratch = self.root / "scratch"       # a mount point (see confinement.mount_scratch)
        self.scratch.mkdir(mode=0o755)
        submission = self.root / "submission"
        submission.mkdir(mode=0o755)
        budget = [limits.max_submission_mb * 1024 * 1024]
        self.skipped = _copy_regular_files(submission_dir, submission, budget) if submission_dir else []
        for relname, path in extra_files:          # the assignment's own data files win, as in nbgrader
            destination = submission / relname
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            os.chmod(destination, 0o644)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


UIDS_PER_WORKER = 256
_runs = itertools.count()


def sandbox_uid(pid=None, run=0):
    """A uid no user has, of its own per grading process and sandbox run: RLIMIT_NPROC counts only this sandbox,
    and nothing the kernel keys by uid (keyrings, quotas) carries over from an earlier sandbox.

    ``pid`` (default: this process) is the grading worker's; the journal records it for every submission.
    """
    return 100_000 + ((os.getpid() if pid is None else pid) % 4_194_304) * UIDS_PER_WORKER + run % UIDS_PER_WORKER


def sandbox_uids(pid):
    """Every uid the sandboxes of the grading process ``pid`` may run as."""
    first = sandbox_uid(pid)
    return range(first, first + UIDS_PER_WORKER)


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


def runner_command(staging: Staging, limits: Limits, fds, sandboxed, workdir_name, seccomp_fd=None,
                   scratch_mounted=False):
    """The argv that starts the runner, in the sandbox or (unsandboxed) directly.

    ``seccomp_fd``: a file descriptor holding the seccomp filter; ``scratch_mounted``: ``staging.scratch`` holds
    the sandbox's tmpfs (``confinement.mount_scratch``), else bubblewrap makes tmpfses capped in bytes only.
    """
    runner_limits = limits.for_runner()
    uid = None
    if os.geteuid() != 0 or not sandboxed:
        # Without a uid of its own, RLIMIT_NPROC counts all of this user's processes (and root ignores it).
        runner_limits["processes"] = (_user_process_count() + limits.processes) if os.geteuid() != 0 else None
    else:
        uid = sandbox_uid(run=next(_runs))
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
    if scratch_mounted:
        home, tmp, shm = (["--bind", str(staging.scratch / name), target]
                          for name, target in zip(confinement.SCRATCH_DIRS, (BOX_HOME, "/tmp", "/dev/shm")))
        home = _dirs_with_parents([BOX_HOME]) + home
    else:
        small = str(max(limits.scratch_mb // 4, 16) * mb)
        home, tmp, shm = (["--perms", "1777", "--size", size, "--tmpfs", target]
                          for size, target in ((str(limits.scratch_mb * mb), BOX_HOME), (small, "/tmp"),
                                               (small, "/dev/shm")))
    filter_args = ["--seccomp", str(seccomp_fd)] if seccomp_fd is not None else []
    # /tmp is mounted before the Python installation, which may itself live under /tmp (a fresh clone's
    # .venv): bwrap applies mounts in order, so a later tmpfs would hide it.
    return [bwrap, *_namespace_args(), *_system_binds(), *tmp, *python_binds(),
            "--proc", "/proc", "--dev", "/dev", *shm, *home, *filter_args,
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
        self.groups, filter_fd = None, None
        fds = [to_kernel_r, from_kernel_w]
        try:
            preexec = None
            if sandboxed:
                preexec = self._confine(staging)
                program = _seccomp_program(deny_memfd=self.groups is None)
                if program is not None:
                    filter_fd = seccomp.program_fd(program)
                    fds.append(filter_fd)
            argv = runner_command(staging, limits, (to_kernel_r, from_kernel_w), sandboxed, workdir_name,
                                  seccomp_fd=filter_fd, scratch_mounted=preexec is not None)
            self.process = subprocess.Popen(argv, pass_fds=fds, stdin=subprocess.DEVNULL, preexec_fn=preexec,
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                            start_new_session=True, cwd=str(staging.root))
        except BaseException as error:
            os.close(self._w)
            os.close(self._r)
            self._remove_groups()
            if isinstance(error, subprocess.SubprocessError):
                raise SandboxUnavailable(f"the sandbox could not be confined ({error})") from None
            raise
        finally:
            for fd in fds:
                os.close(fd)
        os.set_blocking(self._w, False)
        self._buffer = bytearray()
        self._scanned = 0
        self.console = bytearray()          # the first few kB of the process's own stdout/stderr
        self._drain = threading.Thread(target=self._drain_console, daemon=True)
        self._drain.start()

    def _confine(self, staging):
        """As root: control groups for this run (where the machine has them) and a scratch tmpfs capped in files;
        returns what the child runs before it starts bubblewrap (None: not root, bubblewrap's tmpfses are used)."""
        if os.geteuid() != 0:
            return None
        if confinement.problem() is None:
            self.groups = confinement.SandboxGroups(self.limits)
        confinement.prepare_scratch()
        groups, mount_point = self.groups, str(staging.scratch)
        size, files = self.limits.scratch_mb * 1024 * 1024, self.limits.scratch_files

        def confine():          # in the child, before exec: everything it starts is inside
            if groups is not None:
                groups.join()
            confinement.mount_scratch(mount_point, size, files)
        return confine

    def _remove_groups(self):
        if self.groups is not None:
            self.groups.remove()
            self.groups = None

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
        if self.groups is not None and self.groups.oom_kills():
            return (f"it ran out of memory (the sandbox's {self.limits.memory_mb} MB, counting shared memory, "
                    f"files it wrote and kernel memory)")
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
        self._remove_groups()
        for fd in (self._w, self._r):
            try:
                os.close(fd)
            except OSError:
                pass
        self._drain.join(timeout=2)
        if self.process.stdout:
            self.process.stdout.close()
