"""Fill the submission folder with what trips up code that walks it: names that are not UTF-8, with control
characters, of 255 bytes; folders nested 1200 deep and longer than PATH_MAX; a FIFO, a socket, a device (as root),
a loop of symbolic links, a hard link to a classmate's notebook (an ordinary file for the grader: Linux lets
nobody hard-link a file they could not read) and a 120 MB sparse file.  The parent still computes
the key and writes the journal and the report, the worker copies only the ordinary files, the student is graded
with readable flags, and nobody else is affected."""
import os
import socket
import stat

from ._common import MAX_SCORE, answers, flag_codes, graded, student


def _deep(folder, depth, name="d"):
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):
        os.mkdir(name, dir_fd=fd)
        child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = child
    with open(os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
        f.write("the bottom\n")
    os.close(fd)


def remove_deep(folder, name):
    """Remove the chain ``folder/name/name/...`` without recursion (shutil.rmtree recurses once per level)."""
    top, spare = os.path.join(folder, name), os.path.join(folder, name + ".up")
    while os.path.isdir(top):
        inside = os.listdir(top)
        for entry in inside:
            if entry != name:
                os.unlink(os.path.join(top, entry))
        if name in inside:
            os.rename(os.path.join(top, name), spare)       # the child moves up, the parent is then empty
            os.rmdir(top)
            os.rename(spare, top)
        else:
            os.rmdir(top)


def submit(course, ctx):
    notebook = course.submit(student(__name__), answers())
    folder = notebook.parent
    raw = os.fsencode(folder)
    for name in (b"caf\xe9-latin1.txt", b"\xff\xfe\xfd", b"bell\x07\x1b[31mred\n.txt", b"x" * 255):
        with open(raw + b"/" + name, "wb") as f:
            f.write(b"data\n")
    _deep(folder, 1200)                 # deeper than Python's recursion limit: a recursive os.walk fails
    _deep(folder, 250, name="e" * 40)   # longer than PATH_MAX
    os.mkfifo(raw + b"/fifo\xff\x1b")
    here = os.getcwd()
    os.chdir(folder)                    # (a socket's path must be short)
    try:
        server = socket.socket(socket.AF_UNIX)
        server.bind(b"socket\xfe\x07")
        server.close()
    finally:
        os.chdir(here)
    if os.geteuid() == 0:
        os.mknod(folder / "a_device", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    os.symlink(b"loop\xb0", raw + b"/loop\xa0")
    os.symlink(b"loop\xa0", raw + b"/loop\xb0")
    os.link(course.root / "submitted" / "victim" / "demo" / "demo.ipynb", folder / "victims_notebook.ipynb")
    with open(folder / "huge.bin", "wb") as f:
        f.truncate(120 * 1024 ** 2)


def check(course, ctx):
    name = student(__name__)
    folder = course.root / "submitted" / name / "demo"
    remove_deep(folder, "d")            # (pytest's clean-up of old temporary folders would recurse too deep)
    remove_deep(folder, "e" * 40)
    graded(course, name)
    assert course.total(name) == MAX_SCORE
    assert "files-skipped" in flag_codes(course, name)
    skipped = " ".join(message for code, message in course.entry(name)["flags"] if code == "files-skipped")
    assert "fifo\\xff\\x1b (not a regular file)" in skipped and "socket\\xfe\\x07 (not a regular file)" in skipped
    assert "nested too deeply" in skipped and "(too large)" in skipped
    assert "\x1b" not in skipped and "\x07" not in skipped
    report = (course.root / "autograded" / ".grading" / "demo" / "report.md").read_text(encoding="utf-8")
    assert name in report
