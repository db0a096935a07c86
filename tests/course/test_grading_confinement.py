"""What one sandbox run may take from the machine and leave behind (``grading/marking/confinement.py``,
``seccomp.py``, ``sandbox.py``): no kernel state outlives it, all the memory it causes is capped, a CPU hog gets
one share, its control groups are removed (also those of a grader killed with -9), and nothing but the listed
files of the grader is copied into it.

These run sandboxes directly (``KernelProcess``), the way ``kernel.py`` does; the attack corpus
(``attacks/a50_*``–``a52_*``) grades the same attacks through the whole pipeline.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grading.marking import confinement, seccomp
from grading.marking.sandbox import (GRADING, JAIL_FILES, KernelDied, KernelProcess, Staging, check_sandbox,
                                     runner_command)
from tests.conftest import ROOT, require
from tests.course.attacks.a50_state_outlives_sandbox import PROBE, STORE
from tests.course.attacks.a51_shared_memory_hog import HOG as MEMFD_HOG
from tests.course.conftest import TEST_LIMITS

pytestmark = pytest.mark.sandbox

CPU_TIME = '''import os, time

def _cpu_seconds():
    """CPU time of every process of this sandbox (its own PID namespace), from /proc."""
    total = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")

def _measure(seconds, spin):
    start, wall = _cpu_seconds(), time.monotonic()
    while time.monotonic() - wall < seconds:
        if not spin:
            time.sleep(0.05)
    print("CPU", _cpu_seconds() - start, "WALL", time.monotonic() - wall)
'''
SPINNERS = '''for i in range({count}):
    if os.fork() == 0:
        os.setsid()
        while True:
            pass
'''


@pytest.fixture
def staging():
    require("bwrap", "sandboxed grading")
    folder = Staging(None, [], TEST_LIMITS)
    yield folder
    folder.cleanup()


def _start(staging, limits=TEST_LIMITS):
    process = KernelProcess(staging, limits, True, "nb")
    hello = process.receive(time.monotonic() + limits.startup_seconds)
    assert hello.get("event") == "hello", bytes(process.console)
    return process


def _send_cell(process, code):
    process.send({"id": 1, "op": "run", "cells": [{"index": 0, "source": code}]}, time.monotonic() + 10)


def _cell_result(process, seconds=60):
    """The output (and error) of the cell sent last; raises KernelDied if the sandbox ended."""
    deadline = time.monotonic() + seconds
    while True:
        message = process.receive(deadline)
        if message.get("phase") == "done":
            result = message["output"] + (message["error"] or "")
        if "ok" in message:
            return result


def _run(process, code):
    _send_cell(process, code)
    return _cell_result(process)


def _confined():
    if confinement.problem():
        pytest.skip(f"no control groups here: {confinement.problem()}")


# -- what is copied in --------------------------------------------------------------------------------------------

def test_the_jail_holds_only_the_listed_files(tmp_path):
    (tmp_path / "answers.txt").write_text("mine")
    staging = Staging(tmp_path, [], TEST_LIMITS)
    try:
        files = {path.relative_to(staging.root).as_posix() for path in staging.root.rglob("*") if path.is_file()}
        assert files == {target for target, _ in JAIL_FILES} | {"submission/answers.txt"}
        for target, source in JAIL_FILES:
            assert (staging.root / target).read_bytes() == (GRADING / source).read_bytes()
        argv = runner_command(staging, TEST_LIMITS, (3, 4), True, "nb", scratch_mounted=True)
        sources = {argv[i + 1] for i, arg in enumerate(argv) if arg in ("--bind", "--ro-bind")}
        inside = {Path(s).relative_to(staging.root).as_posix() for s in sources if s.startswith(str(staging.root))}
        assert inside == {"runner", "lib", "submission"} | {f"scratch/{d}" for d in confinement.SCRATCH_DIRS}
    finally:
        staging.cleanup()


# -- class 2: no kernel state outlives a sandbox ---------------------------------------------------------------

def test_a_fresh_sandbox_shares_no_kernel_state(staging):
    tainted = _start(staging)
    try:
        assert "no state found" in _run(tainted, PROBE)
        _run(tainted, STORE + '\n_store_state("hidden input 0.125")')
        assert "STATE FOUND" in _run(tainted, PROBE), "the attack must work inside its own sandbox"
        fresh = _start(staging)            # the tainted one (and its daemon) still runs
        try:
            out = _run(fresh, PROBE)
            assert "no state found" in out, out
        finally:
            fresh.close()
    finally:
        tainted.close()
    later = _start(staging)
    try:
        out = _run(later, PROBE)
        assert "no state found" in out, out
    finally:
        later.close()


def test_keyring_calls_are_denied(staging):
    process = _start(staging)
    try:
        out = _run(process, "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                            f"print(libc.syscall({seccomp_number('add_key')}, b'user', b'k', b'v', 1, -4), "
                            "ctypes.get_errno())")
        assert out.split() == ["-1", "1"], out            # EPERM
    finally:
        process.close()


def seccomp_number(name):
    return seccomp._libseccomp().seccomp_syscall_resolve_name(name.encode())


# -- class 3: all memory a submission causes is capped ---------------------------------------------------------

def test_shared_memory_counts_against_the_sandbox(staging):
    _confined()
    process = _start(staging)
    try:
        with pytest.raises(KernelDied, match="ran out of memory"):
            _run(process, MEMFD_HOG)
        assert process.groups.oom_kills() >= 1
    finally:
        process.close()


def test_honest_memory_use_is_unaffected(staging):
    process = _start(staging)
    try:
        code = ("import numpy as np\nx = np.ones((6000, 6000))\ny = x @ x[:, :10]\n"
                "open('data.bin', 'wb').write(bytes(8 * 2**20))\nprint('OK', x.nbytes // 2**20, y.shape)")
        assert "OK 274 (6000, 10)" in _run(process, code)
    finally:
        process.close()


def test_files_in_the_scratch_space_are_capped_in_number(staging):
    if os.geteuid() != 0:
        pytest.skip("only root can mount a tmpfs capped in files")
    process = _start(staging)
    try:
        out = _run(process, "import os\nmade = 0\ntry:\n    while True:\n"
                            "        open(f'/dev/shm/{made}', 'w').close(); made += 1\n"
                            "except OSError as error:\n    print(made, error.strerror)")
        made = int(out.split()[0])
        assert made <= TEST_LIMITS.scratch_files and "No space left on device" in out, out
    finally:
        process.close()


def test_without_control_groups_the_grader_warns_and_denies_memfd(staging, monkeypatch):
    monkeypatch.setattr(confinement, "problem", lambda: "testing the fallback")
    assert any("no control groups (testing the fallback)" in warning for warning in check_sandbox())
    process = _start(staging)
    try:
        assert process.groups is None
        assert "stopped after 0 MB: [Errno 1] Operation not permitted" in _run(process, MEMFD_HOG)
    finally:
        process.close()


# -- class 4: CPU fairness --------------------------------------------------------------------------------------

def test_a_cpu_hog_gets_no_more_than_a_classmate(staging, capsys):
    """A hog (16 spinning processes, each in its own session) and an honest classmate (one spinning process)
    run side by side for the same 3 s; each measures its own CPU time from inside.  Without a CPU share per
    sandbox the hog gets about 16 times as much."""
    hog, honest = _start(staging), _start(staging)
    try:
        _run(hog, CPU_TIME + SPINNERS.format(count=16))
        _run(honest, CPU_TIME)
        before = hog.groups.cpu_seconds() if hog.groups else None
        started = time.monotonic()
        _send_cell(hog, "_measure(3, spin=False)")
        _send_cell(honest, "_measure(3, spin=True)")
        hog_cpu = float(_cell_result(hog).split()[1])
        honest_cpu = float(_cell_result(honest).split()[1])
        wall = time.monotonic() - started
        group_cpu = hog.groups.cpu_seconds() - before if hog.groups else None
    finally:
        hog.close()
        honest.close()
    with capsys.disabled():
        print(f"\nCPU in 3 s side by side: hog {hog_cpu:.2f} s, classmate {honest_cpu:.2f} s; hog's control group "
              f"{group_cpu} s in {wall:.2f} s; load {os.getloadavg()[0]:.1f}")
    assert hog_cpu <= 1.5 * honest_cpu + 0.3
    if group_cpu is not None:
        assert group_cpu <= TEST_LIMITS.cpus * wall * 1.1 + 0.2


# -- control groups are removed ---------------------------------------------------------------------------------

def _group_dirs():
    hierarchies, _ = confinement.layout()
    return {os.path.join(h.base, name) for h in hierarchies for name in os.listdir(h.base)
            if name.startswith(confinement.PREFIX)}


def test_groups_are_removed_with_the_sandbox(staging):
    _confined()
    before = _group_dirs()
    process = _start(staging)
    mine = {path for _, path in process.groups.groups}
    assert mine and all(os.path.isdir(path) for path in mine)
    _run(process, SPINNERS.format(count=3))
    process.close()
    assert not any(os.path.exists(path) for path in mine)
    assert _group_dirs() <= before


GRADER = f'''import sys, time
sys.path.insert(0, {str(ROOT)!r})
from grading.marking.sandbox import KernelProcess, Staging
from tests.course.conftest import TEST_LIMITS
staging = Staging(None, [], TEST_LIMITS)
process = KernelProcess(staging, TEST_LIMITS, True, "nb")
process.receive(time.monotonic() + 60)
print(staging.root, *[path for _, path in process.groups.groups], flush=True)
time.sleep(600)
'''


def test_groups_of_a_grader_killed_with_kill_9_are_removed_at_the_next_start():
    require("bwrap", "sandboxed grading")
    _confined()
    grader = subprocess.Popen([sys.executable, "-c", GRADER], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = grader.stdout.readline()
    finally:
        grader.send_signal(signal.SIGKILL)
        grader.wait()
    staging, *groups = line.split() or [""]
    shutil.rmtree(staging, ignore_errors=True)
    assert groups and all(os.path.isdir(path) for path in groups)
    next_start = subprocess.run([sys.executable, "-c", "from grading.marking import confinement\n"
                                 "print(confinement.problem())"], cwd=ROOT, capture_output=True, text=True)
    assert next_start.stdout.strip() == "None", next_start.stderr
    assert not any(os.path.exists(path) for path in groups)
