"""Carry values from one sandbox to the next through kernel state: the user and session keyrings (add_key),
SysV shared memory, an abstract Unix socket served by a daemon, files in /dev/shm and /tmp.  The function stores
what the test passes it, then kills its process; the notebook is replayed in a fresh sandbox, whose first cell
looks for the values.  It finds none of them: every sandbox run has a fresh uid, its own IPC and network
namespaces and scratch space, and the keyring system calls are denied."""
import platform

from ._common import MAX_SCORE, POINTS, add_cells, answers, flag_codes, graded, student

KEYCTL, ADD_KEY = {"x86_64": (250, 248), "aarch64": (219, 217)}[platform.machine()]

PROBE = f'''import ctypes, os, socket

def _found_state(name=b"a50-secret"):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    found = {{}}
    for ring in (-4, -3):                                           # the user and the session keyring
        key = libc.syscall({KEYCTL}, 10, ring, b"user", name, 0)    # KEYCTL_SEARCH
        if key > 0:
            buffer = ctypes.create_string_buffer(256)
            size = libc.syscall({KEYCTL}, 11, key, buffer, 256)     # KEYCTL_READ
            found[f"keyring {{ring}}"] = buffer.raw[:max(size, 0)].decode(errors="replace")
    shmid = libc.shmget(0xA50, 0, 0)
    if shmid >= 0:
        found["sysv shm"] = ctypes.string_at(libc.shmat(shmid, None, 0), 64).split(b"\\0")[0].decode()
    try:
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(1)
            client.connect("\\0a50-secret")
            found["abstract socket"] = client.recv(64).decode(errors="replace")
    except OSError:
        pass
    for path in ("/dev/shm/a50-secret", "/tmp/a50-secret"):
        if os.path.exists(path):
            found[path] = open(path).read()
    return found

print("STATE FOUND:" if _found_state() else "no state found", _found_state())'''

STORE = f'''def _store_state(value, name=b"a50-secret"):
    import ctypes, os, socket, time
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    data = value.encode()[:60]
    for ring in (-4, -3):
        libc.syscall({ADD_KEY}, b"user", name, data, len(data), ring)
    shmid = libc.shmget(0xA50, 4096, 0o1666)                        # IPC_CREAT, readable by anyone
    if shmid >= 0:
        ctypes.memmove(libc.shmat(shmid, None, 0), data + b"\\0", len(data) + 1)
    for path in ("/dev/shm/a50-secret", "/tmp/a50-secret"):
        try:
            with open(path, "w") as f:
                f.write(value)
        except OSError:
            pass
    if os.fork() == 0:                                              # a daemon that serves the value
        os.setsid()
        server = socket.socket(socket.AF_UNIX)
        server.bind("\\0a50-secret")
        server.listen()
        while True:
            connection, _ = server.accept()
            connection.sendall(data)
            connection.close()
    time.sleep(0.3)'''

SIGMOID = '''def sigmoid(a):
    _store_state("hidden? " + repr(np.asarray(a).tolist()))
    os._exit(1)'''


def submit(course, ctx):
    course.submit(student(__name__), answers(sigmoid=SIGMOID, sigmoid_prime="def sigmoid_prime(a):\n"
                  "    s = 1 / (1 + np.exp(-np.asarray(a, dtype=float)))\n    return s * (1 - s)"),
                  add_cells(PROBE, STORE))


def check(course, ctx):
    name = student(__name__)
    graded(course, name)
    out = course.outputs(name)
    assert "STATE FOUND" not in out, out[-800:]
    assert "no state found" in out, out[-800:]
    assert "kernel-died" in flag_codes(course, name)
    assert course.total(name) == MAX_SCORE - POINTS["test_sigmoid"]
