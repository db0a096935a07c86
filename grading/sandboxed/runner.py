"""The student's side of grading: runs inside the sandbox, as an unprivileged user with resource limits.

``grading.marking.sandbox`` starts ``python -I -S runner.py ...`` in a bubblewrap sandbox (or, with --unsandboxed, as a
plain subprocess).  The runner

1. lowers its resource limits (CPU, memory, processes, file size) and, when started as root inside the sandbox,
   drops to an unprivileged uid, so the student's code can never raise them again;
2. copies the submission into its writable scratch folder and makes that the working directory;
3. answers the grader's requests until its input closes: ``run`` some of the student's cells (in one namespace,
   like a forgiving kernel: an error is recorded and the next cell runs; test cells never reach the sandbox),
   ``lookup`` a name, ``call`` a function, ``getattr`` of an object it keeps.

Messages are lines of JSON in the format of ``grading.protocol``.  Nothing here is trusted: the student's code
shares this process and may change anything in it.  The grader decides marks on its own side from the plain data
it receives, so tampering with this file's code gains nothing.
"""
from __future__ import annotations

import argparse
import ast
import builtins
import io
import itertools
import json
import os
import resource
import shutil
import sys
import traceback
import types

MAX_OUTPUT = 20_000       # characters of printed output kept per cell
MAX_ITEMS = 100_000       # items taken from an iterator that a function returns


class Capture(io.TextIOBase):
    """A stand-in for sys.stdout/sys.stderr that keeps the first MAX_OUTPUT characters."""

    def __init__(self):
        self.parts, self.size, self.dropped = [], 0, False

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = MAX_OUTPUT - self.size
        if len(text) > room:
            text, self.dropped = text[:max(room, 0)], True
        self.parts.append(text)
        self.size += len(text)
        return len(text)

    def getvalue(self):
        return "".join(self.parts) + ("\n[... output truncated ...]\n" if self.dropped else "")


class _IPythonStub:
    """Enough of get_ipython() for magics such as %matplotlib inline to do nothing instead of failing."""

    def run_line_magic(self, *args, **kwargs):
        return None

    run_cell_magic = run_line_magic

    def system(self, *args, **kwargs):
        print("(shell commands do not run during grading)")

    def getoutput(self, *args, **kwargs):
        return []


def _transform_magics(source):
    if not any(line.lstrip().startswith(("%", "!")) for line in source.splitlines()):
        return source
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def _display(*objects, **kwargs):
    for obj in objects:
        print(repr(obj))


def _error_text(error):
    """The exception with only the student's own frames (their cells) in the traceback."""
    try:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<cell")]
        lines = traceback.format_list(frames) + traceback.format_exception_only(type(error), error)
        return "".join(lines)[-4000:]
    except BaseException:
        return type(error).__name__


class Runner:
    def __init__(self, fd_in, fd_out, protocol):
        self.reader = io.open(fd_in, "rb")
        self.fd_out = fd_out
        self.protocol = protocol
        self.ns = {"__name__": "__main__", "__builtins__": builtins, "display": _display,
                   "get_ipython": _IPythonStub}
        self.objects = {}       # handle id -> object kept in the sandbox
        self.handles = {}       # id(object) -> handle id
        self.callbacks = itertools.count()

    # -- messages ---------------------------------------------------------------------------------------------
    def send(self, message):
        data = self.protocol.dumps(message)
        while data:
            data = data[os.write(self.fd_out, data):]

    def receive(self):
        line = self.reader.readline()
        if not line:
            raise SystemExit(0)
        return json.loads(line)

    def serve(self):
        self.send({"event": "hello", "pid": os.getpid()})
        while True:
            self.handle(self.receive())

    def handle(self, message):
        rid, op = message.get("id"), message.get("op")
        try:
            if op == "run":
                self.run_cells(message["cells"])
                value = None
            elif op == "lookup":
                name = message["name"]
                if name not in self.ns:
                    raise NameError(f"name {name!r} is not defined")
                value = self.encode(self.ns[name])
            elif op == "call":
                value, arguments = self.call(message)
                reply = {"id": rid, "ok": True, "value": value}
                if arguments is not None:
                    reply["arguments"] = arguments
                self.send(reply)
                return
            elif op == "getattr":
                value = self.encode(getattr(self.objects[message["target"]], message["name"]))
            else:
                raise ValueError(f"unknown request {op!r}")
        except BaseException as error:          # SystemExit and KeyboardInterrupt from student code, too
            self.send({"id": rid, "ok": False, "error": {"type": type(error).__name__,
                                                         "message": _safe_str(error)[:2000]}})
            return
        self.send({"id": rid, "ok": True, "value": value})

    # -- cells --------------------------------------------------------------------------------------------------
    def run_cells(self, cells):
        for cell in cells:
            index = cell["index"]
            self.send({"event": "cell", "index": index, "phase": "start"})
            capture = Capture()
            status, error = "ok", None
            saved = sys.stdout, sys.stderr
            sys.stdout = sys.stderr = capture
            try:
                self.execute(cell["source"], f"<cell {index}>")
            except BaseException as exc:
                status, error = "error", _error_text(exc)
            finally:
                sys.stdout, sys.stderr = saved
            self.send({"event": "cell", "index": index, "phase": "done", "status": status,
                       "output": capture.getvalue(), "error": error})

    def execute(self, source, filename):
        """Run a cell like a kernel: statements, then the value of a final expression is printed."""
        tree = ast.parse(_transform_magics(source), filename)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, filename, "exec"), self.ns)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), filename, "eval"), self.ns)
            if value is not None:
                print(repr(value)[:MAX_OUTPUT])

    # -- values -------------------------------------------------------------------------------------------------
    def keep(self, value):
        key = id(value)
        if key not in self.handles:
            self.handles[key] = len(self.objects)
            self.objects[self.handles[key]] = value
        return self.handles[key]

    def other(self, value):
        """Values without a plain form: iterators are materialized, anything else stays here as a handle."""
        if isinstance(value, types.GeneratorType) or (hasattr(type(value), "__next__")
                                                       and hasattr(type(value), "__iter__")):
            items = list(itertools.islice(value, MAX_ITEMS + 1))
            if len(items) > MAX_ITEMS:
                raise ValueError(f"the iterator yields more than {MAX_ITEMS} items")
            return {"$iter": [self.encode(item) for item in items]}
        name = str(type(value).__name__)[:80]
        if name == "ndarray":
            name = f"ndarray with dtype {value.dtype}"
        return {"$remote": self.keep(value), "type": name, "callable": callable(value)}

    def encode(self, value):
        return self.protocol.encode(value, self.other)

    def resolve(self, tag):
        if "$ref" in tag:
            return self.objects[tag["$ref"]]
        if "$callback" in tag:
            return self.callback(tag["$callback"])
        raise ValueError("unexpected handle")

    def decode(self, data):
        return self.protocol.decode(data, self.resolve)

    def callback(self, target):
        """A function that asks the grader to call one of its functions (e.g. f in numerical_gradient(f, x))."""
        def call_grader(*args, **kwargs):
            rid = f"cb{next(self.callbacks)}"
            self.send({"id": rid, "op": "callback", "target": target, "args": self.encode(list(args)),
                       "kwargs": self.encode(kwargs)})
            while True:
                message = self.receive()
                if message.get("id") == rid and "op" not in message:
                    break
                self.handle(message)            # the grader may call back into the student's code meanwhile
            if not message.get("ok"):
                raise RuntimeError(f"the grader's function failed: {message.get('error', {}).get('message')}")
            return self.decode(message["value"])
        return call_grader

    def call(self, message):
        target = self.objects[message["target"]]
        args, kwargs = self.decode(message["args"]), self.decode(message["kwargs"])
        capture = Capture()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = capture
        try:
            result = target(*args, **kwargs)
        finally:
            sys.stdout, sys.stderr = saved
        value = self.encode(result)
        # Only when the test asks (a task that updates in place): the arguments as the call left them.  The
        # grader's own variables never change; it compares these copies with values it computed before.
        arguments = self.encode([list(args), kwargs]) if message.get("arguments") else None
        return value, arguments


def _safe_str(error):
    try:
        return str(error)
    except BaseException:
        return "(the error message could not be shown)"


def _limit(which, value):
    if value is not None:
        resource.setrlimit(which, (value, value))


def apply_limits(limits):
    """Hard resource limits: the student's code can lower them further but never raise them."""
    mb = 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 2))
    _limit(resource.RLIMIT_AS, limits["memory_mb"] * mb)
    _limit(resource.RLIMIT_FSIZE, limits["file_size_mb"] * mb)
    _limit(resource.RLIMIT_NOFILE, limits["open_files"])
    _limit(resource.RLIMIT_CORE, 0)
    if limits.get("processes"):
        _limit(resource.RLIMIT_NPROC, limits["processes"])


def drop_privileges(uid):
    """Inside the sandbox the runner starts as root with only CAP_SETUID/CAP_SETGID: become ``uid`` for good."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise SystemExit("could not drop privileges")


def copy_submission(source, workdir):
    os.makedirs(workdir, exist_ok=True)
    for name in os.listdir(source):
        path = os.path.join(source, name)
        if os.path.isdir(path):
            shutil.copytree(path, os.path.join(workdir, name), symlinks=True, dirs_exist_ok=True)
        else:
            shutil.copy2(path, os.path.join(workdir, name))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fd-in", type=int, required=True)
    parser.add_argument("--fd-out", type=int, required=True)
    parser.add_argument("--limits", required=True, help="JSON: cpu_seconds, memory_mb, processes, ...")
    parser.add_argument("--uid", type=int, default=None, help="drop to this uid (when started as root)")
    parser.add_argument("--submission", required=True, help="read-only folder with the student's files")
    parser.add_argument("--workdir", required=True, help="writable scratch folder to work in")
    parser.add_argument("--path", action="append", default=[], help="a directory for sys.path (repeatable)")
    args = parser.parse_args(argv)

    apply_limits(json.loads(args.limits))
    if args.uid is not None:
        drop_privileges(args.uid)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [here] + args.path
    import numpy  # noqa: F401  (imported before the student's folder is on sys.path)
    import protocol
    copy_submission(args.submission, args.workdir)
    os.chdir(args.workdir)
    sys.path[:] = [""] + args.path               # like a kernel: the notebook's folder first
    os.environ["HOME"] = os.path.dirname(args.workdir)
    sys.argv = ["notebook"]
    Runner(args.fd_in, args.fd_out, protocol).serve()


if __name__ == "__main__":
    main()
