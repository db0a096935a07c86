"""The student's notebook running in its sandbox, as the trusted grader sees it.

``Kernel`` starts the sandboxed runner and has it execute the student's cells in notebook order, each test
waiting until the cells above it have run (``advance``); then it answers the test code's needs: look up a name,
call a function, read an attribute.  Everything that comes back is decoded strictly by ``grading.protocol`` into
plain data of exact types; an object without a plain form stays in the sandbox and the grader holds a
``RemoteObject`` that can only be called or asked for attributes (any other use fails the test).

Forgiving, like a kernel, but bounded:
* a cell that hangs (``cell_seconds``) or ends the process is skipped: a fresh sandbox replays the cells before;
* a call that hangs or crashes fails that test, and the next request gets a fresh sandbox;
* after ``max_restarts`` fresh sandboxes, or past ``notebook_seconds`` in all, or on any message that breaks the
  protocol, the remaining tests fail with the reason.
"""
from __future__ import annotations

import builtins
import secrets
import socket
import time

from .. import flags as flag
from .. import protocol
from ..errors import (KernelDied, KernelTimeout, KernelUnavailable, MessageTooLarge, NotebookTimeLimit,
                      ResultTooLarge, SandboxStartError, SandboxUnavailable, StudentError, UnsupportedValue)

MAX_CALLBACK_DEPTH = 20


class RemoteObject:
    """A value of the student's that stays in the sandbox; it can only be called or asked for attributes."""

    def __init__(self, kernel, handle, type_name, is_callable, origin):
        object.__setattr__(self, "_kernel", kernel)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_callable", is_callable)
        object.__setattr__(self, "_origin", origin)
        object.__setattr__(self, "_generation", kernel.generation)

    def __call__(self, *args, **kwargs):
        return self._kernel.call(self, args, kwargs)

    def _call_on_copies(self, args, kwargs):
        """(value, args, kwargs after the call): see ``grading.asserts.after_call``."""
        return self._kernel.call(self, args, kwargs, return_arguments=True)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._kernel.getattr(self, name)

    def __repr__(self):
        return f"<{self._type} object from the student's notebook>"

    def _describe_for_grading(self):
        return (f"an object of type {self._type} (from {self._origin}; the grader can only check NumPy arrays, "
                f"numbers, strings, and lists, tuples or dicts of these)")

    def _unsupported(self, *args, **kwargs):
        raise UnsupportedValue(f"{self._origin} gave {self._describe_for_grading()}",
                               public=f"hidden test: {self._origin} gave {self._describe_for_grading()}")

    __bool__ = __len__ = __iter__ = __getitem__ = __setitem__ = __contains__ = _unsupported
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _unsupported
    __float__ = __int__ = __index__ = __complex__ = __array__ = __setattr__ = _unsupported
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _unsupported
    __matmul__ = __rmatmul__ = __neg__ = __abs__ = __pow__ = __mod__ = __floordiv__ = _unsupported
    __hash__ = object.__hash__


class Kernel:
    def __init__(self, make_process, cells, limits, start_time=None):
        """``make_process()`` starts a KernelProcess; ``cells`` is a list of (position, source) to execute."""
        self.make_process = make_process
        self.cells = sorted(cells)
        self.limits = limits
        self.deadline = (start_time or time.monotonic()) + limits.notebook_seconds
        self.process = None
        self.generation = 0         # how many processes were started (handles of older ones are stale)
        self.restarts = 0
        self.target = -1            # cells before this position of the notebook must have run
        self.executed = -1          # position of the last cell the current process ran
        self.skipped = {}           # cell position -> why it was skipped
        self.results = {}           # cell position -> {"status", "output", "error"}
        self.flags = []             # (code, message) for the instructor's report
        self.broken = None          # why no more requests can be served
        self.out_of_time = False    # ... because the notebook's wall time is used up
        self.callbacks = []         # grader functions the sandbox may call back
        self._depth = 0
        self.sandbox_seconds = 0.0  # time spent starting sandboxes
        # Set by the trusted side: whether the request about to be sent comes from a hidden test.  Once one has,
        # the student's process has seen hidden inputs: nothing it says afterwards may reach the student.
        self.from_hidden_test = lambda: False
        self.tainted = False        # the current process has served a hidden test
        self.tainted_requests = 0   # requests sent to a tainted process (the trusted side counts them per test)

    # -- life cycle -----------------------------------------------------------------------------------------------
    def advance(self, position, restart=True):
        """Run the student's cells that come before ``position`` in the notebook, as Run All would have by then.

        A test cell thus sees the student's names as they were at its place in the notebook.  A cell that hangs
        or ends the process is skipped, and (unless ``restart`` is False) a fresh sandbox replays the cells
        before it.
        """
        self.target = max(self.target, position)
        while not self.broken:
            if self.process is None and self.generation > 0 and not restart:
                return
            if time.monotonic() >= self.deadline:
                self._out_of_time(flag.TIMEOUT)
                return
            if self.process is None:
                if self.generation > 0:
                    if self.restarts >= self.limits.max_restarts:
                        self._break("the notebook's Python process had to be restarted too often", flag.KERNEL_DIED)
                        return
                    self.restarts += 1
                self._spawn()
            pending = [(p, s) for p, s in self.cells if self.executed < p < self.target and p not in self.skipped]
            if not pending:
                return
            self._run(pending)

    def _run(self, cells):
        current = {}

        def on_event(event):
            if event.get("event") != "cell" or type(event.get("index")) is not int:
                raise protocol.ProtocolError("unexpected event")
            if event.get("phase") == "start":
                current["index"] = event["index"]
                current["deadline"] = min(time.monotonic() + self.limits.cell_seconds, self.deadline)
            elif event.get("phase") == "done":
                if self.tainted:        # it ran after a hidden test called the student's code: show nothing
                    self.results[event["index"]] = {"status": "withheld", "output": "", "error": None}
                else:
                    self.results[event["index"]] = {
                        "status": "error" if event.get("status") == "error" else "ok",
                        "output": str(event.get("output") or "")[:50_000],
                        "error": str(event["error"])[:10_000] if event.get("error") else None}
                current.pop("index", None)

        try:
            self._exchange({"op": "run", "cells": [{"index": p, "source": s} for p, s in cells]},
                           lambda: current.get("deadline", self.deadline), on_event)
            self.executed = cells[-1][0]
        except (KernelTimeout, KernelDied) as error:
            index, tainted = current.get("index"), self.tainted
            if tainted and isinstance(error, KernelDied):
                error = KernelDied("it ended")      # how (an exit status, a signal) could carry hidden inputs
            timeout = isinstance(error, KernelTimeout)
            code = flag.TIMEOUT if timeout else flag.KERNEL_DIED
            why = f"did not finish within {self.limits.cell_seconds:g} s" if timeout else \
                f"ended the notebook's Python process: {error}"
            self._retire()
            if time.monotonic() >= self.deadline:
                self._out_of_time(code)
            elif index is None:
                self._break(f"the notebook's Python process stopped between cells: {error}", code)
            else:
                self.skipped[index] = why
                self.results[index] = {"status": "withheld", "output": "", "error": None} if tainted else \
                    {"status": "error", "output": "", "error": f"This cell {why}; it was skipped when grading."}
                self.flags.append((code, f"cell {index} {why}"))
        except protocol.ProtocolError as error:
            self._break(f"the notebook's Python process sent malformed data ({error})", flag.PROTOCOL)

    def _spawn(self):
        started = time.monotonic()
        try:
            self.process = self.make_process()
        except (OSError, SandboxUnavailable) as error:
            raise SandboxStartError(f"the sandbox could not be started on {socket.gethostname()}: {error}") from None
        self.generation += 1
        self.executed = -1
        self.tainted = False
        try:
            hello = self.process.receive(started + self.limits.startup_seconds)
        except (KernelDied, KernelTimeout, protocol.ProtocolError) as error:
            console = bytes(self.process.console).decode(errors="replace")[-1500:]
            self._retire()
            raise SandboxStartError(f"the sandbox did not start ({type(error).__name__}: {error}). "
                                    f"Its output: {console.strip() or '(none)'}") from None
        if hello.get("event") != "hello":
            self._retire()
            raise SandboxStartError("the sandbox did not greet")
        self.sandbox_seconds += time.monotonic() - started

    def _retire(self):
        if self.process is not None:
            self.process.close()
            self.process = None

    def _out_of_time(self, code):
        self._break(f"the notebook ran out of its {self.limits.notebook_seconds:g} s time limit", code)
        self.out_of_time = True

    def _break(self, why, code):
        self.broken = why
        self.flags.append((code, why))
        self._retire()

    def close(self):
        self._retire()

    def _ensure_running(self):
        if self.process is None or time.monotonic() >= self.deadline:
            self.advance(self.target)
        if self.broken:
            if self.out_of_time:
                raise NotebookTimeLimit(self.broken)
            raise KernelUnavailable(self.broken)

    # -- requests -------------------------------------------------------------------------------------------------
    def _exchange(self, message, deadline, on_event=None):
        rid = secrets.token_hex(8)
        message["id"] = rid
        self.process.send(message, deadline())
        while True:
            reply = self.process.receive(deadline())
            if "event" in reply and on_event is not None:
                on_event(reply)
            elif reply.get("op") == "callback":
                self._serve_callback(reply, deadline)
            elif reply.get("id") == rid and "op" not in reply and "event" not in reply:
                return reply
            else:
                raise protocol.ProtocolError("a message that answers no request")

    def request(self, message, what):
        """Send one request (lookup, call, getattr) and return the reply, failing cleanly on hang or crash."""
        self._ensure_running()
        if not self.tainted and self.from_hidden_test():
            self.tainted = True
        tainted = self.tainted
        self.tainted_requests += tainted
        deadline = min(time.monotonic() + self.limits.call_seconds, self.deadline)
        try:
            reply = self._exchange(message, lambda: deadline)
        except KernelTimeout:
            self.flags.append((flag.TIMEOUT, f"{what} did not return within {self.limits.call_seconds:g} s"))
            self._retire()
            if time.monotonic() >= self.deadline:
                self._out_of_time(flag.TIMEOUT)
            raise KernelTimeout(f"{what} did not return in time") from None
        except KernelDied as error:
            self.flags.append((flag.KERNEL_DIED, f"the Python process ended during {what}: {error}"))
            self._retire()
            if tainted:                 # how it ended (an exit status, a signal) could carry hidden inputs
                raise KernelDied("it ended") from None
            raise
        except MessageTooLarge as error:
            self.flags.append((flag.TOO_MUCH_DATA, f"{what} sent {error}"))
            self._retire()
            raise ResultTooLarge(str(error)) from None
        except protocol.ProtocolError as error:
            self._break(f"the notebook's Python process sent malformed data ({error})", flag.PROTOCOL)
            raise KernelUnavailable(self.broken) from None
        ok = reply.get("ok")
        if ok is True:
            return reply
        error = reply.get("error")
        if ok is not False or type(error) is not dict or type(error.get("type")) is not str \
                or type(error.get("message")) is not str:
            self._break("the notebook's Python process sent a malformed reply", flag.PROTOCOL)
            raise KernelUnavailable(self.broken)
        if error["type"] == "NameError" and message.get("op") == "lookup":
            raise KeyError(message["name"])
        # After a hidden test, the student's own message and class name could quote its inputs: only the type is
        # kept, as a built-in exception's name or as "an exception of its own class" (a fixed vocabulary).
        withheld = tainted and bool(error["message"])
        type_name = error["type"][:80] if not tainted or _builtin_exception(error["type"]) else OWN_EXCEPTION
        raise _student_error(what, type_name, "" if withheld else error["message"][:1000], withheld)

    def _value(self, reply, origin, deadline=None):
        try:
            value = protocol.decode(reply.get("value"), lambda tag: self._remote(tag, origin))
        except protocol.ProtocolError as error:
            self._break(f"the notebook's Python process sent malformed data ({error})", flag.PROTOCOL)
            raise KernelUnavailable(self.broken) from None
        if deadline is not None and time.monotonic() > deadline + 1.0:   # decoding counts against the call
            self.flags.append((flag.TIMEOUT, f"decoding what {origin} returned took too long"))
            self._retire()
            raise KernelTimeout(f"{origin} did not return in time")
        return value

    def _remote(self, tag, origin):
        if set(tag) != {"$remote", "type", "callable"} or type(tag["$remote"]) is not int \
                or type(tag["type"]) is not str or type(tag["callable"]) is not bool:
            raise protocol.ProtocolError("a bad handle")
        type_name = tag["type"][:80] if not self.tainted else "(not shown)"   # a class name can carry text, too
        return RemoteObject(self, tag["$remote"], type_name, tag["callable"], origin)

    def lookup(self, name):
        """The student's global ``name``: plain data, or a RemoteObject (functions, anything else)."""
        reply = self.request({"op": "lookup", "name": name}, name)
        return self._value(reply, name)

    def getattr(self, obj, name):
        self._check_current(obj)
        origin = f"{obj._origin}.{name}"
        return self._value(self.request({"op": "getattr", "target": obj._handle, "name": name}, origin), origin)

    def call(self, obj, args, kwargs, return_arguments=False):
        """What the student's function returns, called with copies of ``args`` and ``kwargs``.

        Whatever the function does to its arguments stays in the sandbox: the test's own variables never change.
        With ``return_arguments`` the result is (value, args, kwargs) as the call left them (copies; for tasks
        that update in place, to be compared with values the test computed before the call).
        """
        obj = self._check_current(obj)
        origin = f"{obj._origin}(...)"
        if not obj._callable:
            raise UnsupportedValue(f"{obj._origin} is {obj._describe_for_grading()}, not a function",
                                   public=f"hidden test: {obj._origin} is not a function")
        message = {"op": "call", "target": obj._handle, "args": self._encode(list(args)),
                   "kwargs": self._encode(dict(kwargs)), "arguments": bool(return_arguments)}
        started = time.monotonic()
        reply = self.request(message, origin)
        deadline = min(started + self.limits.call_seconds, self.deadline)
        value = self._value(reply, origin, deadline)
        if not return_arguments:
            return value
        after = self._value({"value": reply.get("arguments")}, origin, deadline)
        if type(after) is not list or len(after) != 2 or type(after[0]) is not list or type(after[1]) is not dict \
                or len(after[0]) != len(args) or set(after[1]) != set(kwargs):
            self._break("the notebook's Python process sent a malformed reply", flag.PROTOCOL)
            raise KernelUnavailable(self.broken)
        return value, after[0], after[1]

    def _check_current(self, obj):
        if obj._generation == self.generation:
            return obj
        if obj._origin.isidentifier():      # a global name: look it up again in the fresh sandbox
            fresh = self.lookup(obj._origin)
            if isinstance(fresh, RemoteObject):
                return fresh
        raise KernelUnavailable(f"{obj._origin} was lost when the notebook's Python process restarted")

    def _encode(self, value):
        def other(item):
            if isinstance(item, RemoteObject):
                return {"$ref": self._check_current(item)._handle}
            if callable(item):
                self.callbacks.append(item)
                return {"$callback": len(self.callbacks) - 1}
            raise protocol.Unencodable(f"the grader cannot pass a {type(item).__name__} to the student's code")
        return protocol.encode(value, other)

    def _serve_callback(self, message, deadline):
        """The student's code calls a grader function it was given (e.g. the f of numerical_gradient(f, x))."""
        target = message.get("target")
        if type(target) is not int or not 0 <= target < len(self.callbacks) or type(message.get("id")) is not str:
            raise protocol.ProtocolError("a callback to a function that was never passed")
        if self._depth >= MAX_CALLBACK_DEPTH:
            raise protocol.ProtocolError("callbacks nested too deeply")
        self._depth += 1
        try:
            args = protocol.decode(message.get("args"), lambda tag: self._remote(tag, "an argument"))
            kwargs = protocol.decode(message.get("kwargs"), lambda tag: self._remote(tag, "an argument"))
            if type(args) is not list or type(kwargs) is not dict or not all(type(k) is str for k in kwargs):
                raise protocol.ProtocolError("bad callback arguments")
            try:
                value = self._encode(self.callbacks[target](*args, **kwargs))
                reply = {"id": message["id"], "ok": True, "value": value}
            except (protocol.ProtocolError, KernelUnavailable, NotebookTimeLimit, KernelTimeout, KernelDied,
                    ResultTooLarge):
                raise                       # the sandbox itself failed during a nested call: give up this call
            except Exception as error:      # only the type: the message could quote hidden test values
                reply = {"id": message["id"], "ok": False,
                         "error": {"type": type(error).__name__, "message": type(error).__name__}}
            self.process.send(reply, deadline())
        finally:
            self._depth -= 1


OWN_EXCEPTION = "an exception of its own class"


def _builtin_exception(type_name):
    base = getattr(builtins, type_name, None)
    return isinstance(base, type) and issubclass(base, BaseException) and base.__module__ == "builtins"


def _student_error(what, type_name, message, withheld=False):
    """The student's exception on the grader's side: of the same built-in class where there is one, so that a
    test may catch e.g. ValueError; always an Exception (never SystemExit or KeyboardInterrupt)."""
    base = getattr(builtins, type_name, None)
    if isinstance(base, type) and issubclass(base, Exception) and base.__module__ == "builtins" \
            and not issubclass(base, (KeyError, StopIteration, StopAsyncIteration)):
        try:
            cls = type(f"Student{type_name}", (StudentError, base), {})
            return cls(what, type_name, message, withheld)
        except TypeError:
            pass
    return StudentError(what, type_name, message, withheld)
