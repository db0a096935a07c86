"""Resource and time limits for running one submission (defaults suit the problem sets; all can be changed)."""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    notebook_seconds: float = 240.0    # wall time for a whole notebook: its cells, restarts and all its tests
    cell_seconds: float = 30.0         # wall time for one of the student's cells (the problem sets need ~1 s)
    call_seconds: float = 15.0         # wall time for one call of a student's function from a test
    startup_seconds: float = 30.0      # wall time for a sandbox to start and greet (else: a machine problem)
    cpu_seconds: int = 120             # CPU time of the student's process (RLIMIT_CPU)
    memory_mb: int = 2048              # address space of each process (RLIMIT_AS), and all memory of the sandbox
                                       # together: anonymous, shared, scratch files, kernel objects (cgroup)
    processes: int = 64                # processes and threads of the student's uid (RLIMIT_NPROC; cgroup pids)
    cpus: float = 1.0                  # CPUs the whole sandbox may use at once (cgroup cpu quota): one
                                       # worker's share, however many processes the submission starts
    file_size_mb: int = 64             # largest file the student's code may write (RLIMIT_FSIZE)
    open_files: int = 256              # RLIMIT_NOFILE
    scratch_mb: int = 256              # size of the writable scratch tmpfs (home folder, /tmp and /dev/shm)
    scratch_files: int = 20_000        # files and folders in it (tmpfs nr_inodes; each costs kernel memory)
    max_restarts: int = 3              # fresh kernels after a crash or a hang, per notebook
    max_message_mb: int = 32           # largest single message the grader accepts from the sandbox
    max_submission_mb: int = 50        # files larger than this in total are not copied into the sandbox
    submission_seconds: float = 0.0    # wall time of one submission in its worker, enforced by the parent
                                       # (0: every notebook's notebook_seconds + startup_seconds, + 30 s)

    def for_runner(self):
        """The limits the runner applies to itself inside the sandbox."""
        keys = ("cpu_seconds", "memory_mb", "processes", "file_size_mb", "open_files")
        return {key: value for key, value in asdict(self).items() if key in keys}
