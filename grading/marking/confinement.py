"""Control groups for one sandbox run: all the memory it causes, its processes and its CPU, capped together.

RLIMIT_AS caps one process's address space, not what a submission can make the kernel hold for it: shared memory
(``memfd_create`` + ``posix_fallocate``), pages of files in its tmpfs, kernel objects (inodes, dentries), and it
says nothing about CPU shared with classmates.  A memory control group counts all of these (cgroup v1 charges
kernel memory to ``memory.usage_in_bytes`` too, v2 to ``memory.current``); at its limit the kernel kills the
sandbox's processes (counted in ``oom_kill``).  ``pids`` caps processes and threads, ``cpu`` gives the sandbox at
most ``Limits.cpus`` CPUs, ``cpuacct`` (v1) or ``cpu.stat`` (v2) measures what it used.

Each sandbox run gets groups of its own, created below the grader's own groups (a sandbox never escapes a limit
the grader runs under), named ``grading.<pid>.<start time>.<n>`` after the process that made them.  They are
removed when the sandbox ends; the groups of a process that no longer exists (a grader killed with -9) are
removed by the next grading process that starts here.

This needs root (or a delegated cgroup) and the controllers memory, pids and cpu: ``problem()`` says what is
missing, and the sandbox then falls back to its strictest settings and the grader warns.
"""
from __future__ import annotations

import functools
import itertools
import os
import signal
import time
from dataclasses import dataclass

PREFIX = "grading."
NEEDED = ("memory", "pids", "cpu")
CPU_PERIOD_US = 100_000
_serial = itertools.count()
_pending = []             # groups that could not be removed yet (their last process was still exiting)


@dataclass(frozen=True)
class Hierarchy:
    version: int               # 1 or 2
    controllers: frozenset     # those of NEEDED + cpuacct that this hierarchy holds
    base: str                  # the grader's own group in it: sandbox groups are created inside


def _mounts():
    """(fstype, mount point, super options) of every cgroup file system."""
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            rest = fields[fields.index("-") + 1:]
            if rest[0] in ("cgroup", "cgroup2"):
                found.append((rest[0], fields[4], set(rest[2].split(",")) if len(rest) > 2 else set()))
    return found


def _own_paths():
    """{controller or '' (v2): this process's group path} from /proc/self/cgroup."""
    paths = {}
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for name in controllers.split(",") if controllers else [""]:
                paths[name] = path
    return paths


def _hierarchies():
    own, v1, v2 = _own_paths(), [], []
    for fstype, mount, options in _mounts():
        if fstype == "cgroup":
            controllers = frozenset(options & {*NEEDED, "cpuacct"})
            if controllers:
                path = own.get(next(iter(controllers)), "/")
                v1.append(Hierarchy(1, controllers, os.path.normpath(mount + path)))
        elif "" in own:
            base = os.path.normpath(mount + own[""])
            try:
                with open(os.path.join(base, "cgroup.controllers")) as f:
                    controllers = frozenset(f.read().split()) & {*NEEDED}
            except OSError:
                continue
            v2.append(Hierarchy(2, controllers, base))
    if set(NEEDED) <= set().union(*(h.controllers for h in v1)):
        return v1
    return [h for h in v2 if h.controllers >= set(NEEDED)][:1]


@functools.lru_cache(maxsize=None)
def layout():
    """(hierarchies to use, None) or ([], why not); on first use also removes groups left by dead graders."""
    if os.geteuid() != 0:
        return [], "the grader does not run as root, so it cannot create control groups"
    try:
        hierarchies = _hierarchies()
    except (OSError, ValueError, IndexError) as error:
        return [], f"the control groups could not be read ({error})"
    if not hierarchies:
        return [], f"this machine has no cgroup hierarchy with the controllers {', '.join(NEEDED)}"
    for hierarchy in hierarchies:
        if hierarchy.version == 2 and not _enable_v2_controllers(hierarchy.base):
            return [], f"the controllers {', '.join(NEEDED)} cannot be enabled below {hierarchy.base}"
        if not os.access(hierarchy.base, os.W_OK):
            return [], f"{hierarchy.base} is not writable"
    remove_stale(hierarchies)
    return hierarchies, None


def problem():
    """Why sandboxes get no control groups here (None when they do)."""
    return layout()[1]


def _enable_v2_controllers(base):
    try:
        with open(os.path.join(base, "cgroup.subtree_control")) as f:
            enabled = set(f.read().split())
        missing = [name for name in NEEDED if name not in enabled]
        if missing:
            _write(os.path.join(base, "cgroup.subtree_control"), " ".join("+" + name for name in missing))
        return True
    except OSError:
        return False


def _write(path, value):
    with open(path, "w") as f:
        f.write(str(value))


def _read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def _start_time(pid):
    """The process's start time in clock ticks since boot (tells a process from a later one with its pid)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return int(f.read().rsplit(b")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _stat_value(text, key):
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name == key:
            return int(value)
    return 0


class SandboxGroups:
    """The control groups of one sandbox run (use ``join`` in the child before it starts bubblewrap)."""

    def __init__(self, limits):
        hierarchies, why = layout()
        if why:
            raise OSError(why)
        _retry_pending()
        name = f"{PREFIX}{os.getpid()}.{_start_time(os.getpid())}.{next(_serial)}"
        self.groups = []
        try:
            for hierarchy in hierarchies:
                path = os.path.join(hierarchy.base, name)
                os.mkdir(path)
                self.groups.append((hierarchy, path))
                _set_limits(hierarchy, path, limits)
        except BaseException:
            self.remove()
            raise
        self._procs = [os.path.join(path, "cgroup.procs") for _, path in self.groups]

    def join(self):
        """Move the calling process into every group (its children then start there)."""
        for path in self._procs:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, b"0")
            finally:
                os.close(fd)

    def _file(self, controller, v1_name, v2_name):
        for hierarchy, path in self.groups:
            if controller in hierarchy.controllers or (hierarchy.version == 2 and controller == "cpuacct"):
                return os.path.join(path, v1_name if hierarchy.version == 1 else v2_name)
        return None

    def cpu_seconds(self):
        """CPU time used by every process of the sandbox so far (None where it is not measured)."""
        path = self._file("cpuacct", "cpuacct.usage", "cpu.stat")
        if path is None:
            return None
        text = _read(path, "0")
        return int(text) / 1e9 if path.endswith("usage") else _stat_value(text, "usage_usec") / 1e6

    def oom_kills(self):
        """How many of the sandbox's processes the kernel killed at the memory limit."""
        path = self._file("memory", "memory.oom_control", "memory.events")
        return _stat_value(_read(path), "oom_kill") if path else 0

    def peak_memory_mb(self):
        path = self._file("memory", "memory.max_usage_in_bytes", "memory.peak")
        text = _read(path, "0").strip() if path else "0"
        return int(text or 0) / 2**20

    def remove(self, wait=2.0):
        """Kill what is left in the groups and remove them (retried later if the kernel is still busy)."""
        left = [path for _, path in self.groups if not _remove_group(path, wait)]
        _pending.extend(left)
        self.groups = []


def _set_limits(hierarchy, path, limits):
    memory = limits.memory_mb * 2**20
    quota = int(limits.cpus * CPU_PERIOD_US)
    # room for bubblewrap's two processes besides the runner's own limit
    pids = limits.processes + 4
    if hierarchy.version == 1:
        if "memory" in hierarchy.controllers:
            _write(os.path.join(path, "memory.limit_in_bytes"), memory)
            if os.path.exists(os.path.join(path, "memory.memsw.limit_in_bytes")):
                _write(os.path.join(path, "memory.memsw.limit_in_bytes"), memory)
        if "pids" in hierarchy.controllers:
            _write(os.path.join(path, "pids.max"), pids)
        if "cpu" in hierarchy.controllers:
            _write(os.path.join(path, "cpu.cfs_period_us"), CPU_PERIOD_US)
            _write(os.path.join(path, "cpu.cfs_quota_us"), quota)
    else:
        _write(os.path.join(path, "memory.max"), memory)
        if os.path.exists(os.path.join(path, "memory.swap.max")):
            _write(os.path.join(path, "memory.swap.max"), 0)
        _write(os.path.join(path, "pids.max"), pids)
        _write(os.path.join(path, "cpu.max"), f"{quota} {CPU_PERIOD_US}")


def _kill_members(path):
    if os.path.exists(os.path.join(path, "cgroup.kill")):
        try:
            _write(os.path.join(path, "cgroup.kill"), 1)
            return
        except OSError:
            pass
    for pid in _read(os.path.join(path, "cgroup.procs")).split():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, PermissionError, ValueError):
            pass


def _remove_group(path, wait):
    deadline = time.monotonic() + wait
    delay = 0.002
    while True:
        _kill_members(path)
        try:
            os.rmdir(path)
            return True
        except FileNotFoundError:
            return True
        except OSError:
            if time.monotonic() >= deadline:
                return False
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _retry_pending():
    _pending[:] = [path for path in _pending if not _remove_group(path, 0)]


def remove_stale(hierarchies):
    """Remove the groups of grading processes that no longer exist (e.g. a grader killed with -9)."""
    for hierarchy in hierarchies:
        try:
            names = os.listdir(hierarchy.base)
        except OSError:
            continue
        for name in names:
            parts = name[len(PREFIX):].split(".")
            if not name.startswith(PREFIX) or len(parts) != 3 or not all(p.isdigit() for p in parts[:2]):
                continue
            pid, start = int(parts[0]), int(parts[1])
            if _start_time(pid) != start:
                _remove_group(os.path.join(hierarchy.base, name), 1.0)


# -- the sandbox's writable space: one tmpfs capped in bytes and in files ------------------------------------------

SCRATCH_DIRS = ("home", "tmp", "shm")       # mounted at /home/student, /tmp and /dev/shm in the sandbox
CLONE_NEWNS = 0x00020000
MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 2, 4, 16384, 1 << 18


@functools.lru_cache(maxsize=None)
def _libc():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    return libc, ctypes


def prepare_scratch():
    """Load what ``mount_scratch`` needs before forking (the child should only call into it)."""
    _libc()


def mount_scratch(mount_point, size_bytes, inodes):
    """In a mount namespace of the calling process's own: a tmpfs of ``size_bytes`` and at most ``inodes`` files
    at ``mount_point``, with the world-writable folders ``SCRATCH_DIRS``.  bubblewrap bind-mounts them into the
    sandbox; the tmpfs disappears with the last process of that namespace (needs root)."""
    libc, ctypes = _libc()

    def check(result):
        if result != 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number))
    check(libc.unshare(CLONE_NEWNS))
    check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None))
    options = f"size={size_bytes},nr_inodes={inodes},mode=0755".encode()
    check(libc.mount(b"grading-scratch", os.fsencode(mount_point), b"tmpfs", MS_NOSUID | MS_NODEV, options))
    for name in SCRATCH_DIRS:
        path = os.path.join(mount_point, name)
        os.mkdir(path)
        os.chmod(path, 0o1777)
