"""A seccomp filter for the sandbox: system calls a notebook never needs fail with EPERM.

Most of them reach kernel state that is not torn down with the sandbox's namespaces: the keyrings (``add_key``,
``keyctl``, ``request_key``: a user's keyring is keyed by uid and outlives every process, and the session keyring
is inherited from the grader, so it is shared by every sandbox), and kernel interfaces no notebook uses (BPF,
perf events, io_uring, userfaultfd, mounting, other namespaces, kernel modules, tracing other processes).

The filter is compiled by libseccomp (Debian's ``libseccomp2``, which apt itself depends on) through ctypes, for
the machine's own architecture; system calls of any other architecture (e.g. x32 or 32-bit calls on x86-64) kill
the process.  bubblewrap loads it (``--seccomp FD``) right before it starts the runner.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os
import tempfile

DENIED = (
    # kernel keyrings: state keyed by uid or inherited from the grader, outliving the sandbox
    "add_key", "keyctl", "request_key",
    # kernel interfaces a notebook never uses
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "personality", "lookup_dcookie",
    "fanotify_init", "name_to_handle_at", "open_by_handle_at", "syslog", "acct", "quotactl",
    # namespaces and mounts (bubblewrap has set them up already)
    "unshare", "setns", "mount", "umount2", "pivot_root", "open_tree", "move_mount", "fsopen", "fsconfig",
    "fsmount", "fspick", "mount_setattr",
    # the machine itself
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon",
    "swapoff",
)
# Without a memory control group, shared memory from memfd_create is outside RLIMIT_AS: then it is denied too.
DENIED_WITHOUT_CGROUP = ("memfd_create",)

SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_ACT_KILL_PROCESS = 0x80000000
SCMP_FLTATR_ACT_BADARCH = 2


def SCMP_ACT_ERRNO(number):
    return 0x00050000 | (number & 0xFFFF)


class SeccompUnavailable(Exception):
    """libseccomp is not installed (or does not work) here."""


@functools.lru_cache(maxsize=None)
def _libseccomp():
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError as error:
        raise SeccompUnavailable(f"libseccomp could not be loaded ({error}); install Debian's libseccomp2") from None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


@functools.lru_cache(maxsize=None)
def filter_program(deny_memfd=False):
    """The BPF program (bytes, as ``bwrap --seccomp`` reads it) denying ``DENIED`` with EPERM."""
    lib = _libseccomp()
    context = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not context:
        raise SeccompUnavailable("seccomp_init failed")
    try:
        lib.seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)
        for name in DENIED + (DENIED_WITHOUT_CGROUP if deny_memfd else ()):
            number = lib.seccomp_syscall_resolve_name(name.encode())
            if number < 0:          # not a system call on this architecture
                continue
            if lib.seccomp_rule_add(context, SCMP_ACT_ERRNO(errno.EPERM), number, 0) < 0:
                raise SeccompUnavailable(f"libseccomp refused a rule for {name}")
        with tempfile.TemporaryFile() as out:
            if lib.seccomp_export_bpf(context, out.fileno()) < 0:
                raise SeccompUnavailable("libseccomp could not export the filter")
            out.seek(0)
            return out.read()
    finally:
        lib.seccomp_release(context)


def program_fd(program):
    """A file descriptor to read ``program`` from (a pipe already holding it, closed for writing)."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, program)          # a few hundred bytes: far below a pipe's buffer
    finally:
        os.close(write_end)
    return read_end
