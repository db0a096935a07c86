"""Flags for code that looks like an attempt to cheat, read from what Python executes: the syntax tree.

Python folds identifiers to NFKC before it runs them, so ``ｎｐ.ａｌｌｃｌｏｓｅ = …`` *is* ``np.allclose = …`` and
``import ｃｔｙｐｅｓ`` imports ctypes; comments, line continuations and spacing do not exist in the tree either.  So
each cell is parsed (after IPython's magic transform, as the sandbox's runner does) and its names, attributes,
imports, calls and string constants are checked.  A cell that does not parse cannot run past its syntax error; it
is still checked as NFKC-folded text, with the patterns of ``TEXT_PATTERNS``.

Flags never change a grade: they ask a human to look (marks are decided on the trusted side whatever the code does).
"""
from __future__ import annotations

import ast
import re
import unicodedata

from .. import flags as flag

NUMPY = "assigns to a NumPy attribute (monkeypatching numpy)"
MODULE_ATTRIBUTE = "assigns to an attribute of an imported module"
SETATTR = "uses setattr/delattr"
SPECIAL = "defines or touches special methods (__eq__, __array__, ...)"
BUILTINS = "changes builtins"
INTERPRETER = "inspects or changes the interpreter (sys.modules, frames, exit)"
LOW_LEVEL = "imports a low-level module"
OS_CALLS = "calls os process or file functions"
EXITS = "exits the kernel"
HELPERS = "touches the grading helpers"
PATHS = "names course paths"
ABSOLUTE_OPEN = "opens a file by absolute path"
MAGICS = "runs shell commands or magics"
GENERATED = "runs generated code (exec/eval/__import__)"
NNLIB = "uses nnlib (not available when graded)"

SPECIAL_NAME = re.compile(r"__(eq|ne|array\w*|bool|float|class|instancecheck|getattribute|reduce\w*|subclasshook)__")
COURSE_PATH = re.compile(r"gradebook|solutions|autograded|submitted|nbgrader|/work/|/home/|/root|\.\./")
LOW_LEVEL_MODULES = {"ctypes", "subprocess", "socket", "signal", "multiprocessing", "threading", "resource",
                     "importlib", "inspect", "gc", "pickle", "marshal", "pty", "fcntl", "mmap", "_thread", "posix"}
SYS_ATTRIBUTES = {"modules", "settrace", "setprofile", "_getframe", "excepthook", "exit", "addaudithook",
                  "meta_path", "path_hooks", "displayhook"}
FRAME_ATTRIBUTES = {"f_back", "f_globals", "f_locals", "f_builtins", "tb_frame", "gi_frame", "cr_frame"}
OS_FUNCTIONS = re.compile(r"system|fork|forkpty|kill|killpg|_exit|exec\w*|spawn\w*|popen|setsid|setuid|chroot|"
                          r"remove|unlink|rmdir|rename|replace|symlink|link|chmod|open|write")
HELPER_NAMES = {"assert_close", "assert_shape", "assert_equal", "assert_true", "after_call"}
CALLS = {"setattr": SETATTR, "delattr": SETATTR, "exec": GENERATED, "eval": GENERATED, "compile": GENERATED,
         "__import__": GENERATED, "exit": EXITS, "quit": EXITS, "get_ipython": MAGICS, "__builtins__": BUILTINS,
         "KeyboardInterrupt": EXITS, "SystemExit": EXITS, "CheckFailed": HELPERS, "nnlib": NNLIB}


# Names that are modules before any cell of the student's imports them (the setup cell's np, a habit's sys)
KNOWN_MODULES = {"np": "numpy", "numpy": "numpy", "sys": "sys", "os": "os", "builtins": "builtins"}


class _Visitor(ast.NodeVisitor):
    """Walks the cells of one notebook in order; an import in one cell names a module in the cells after it."""

    def __init__(self):
        self.found = set()
        self.modules = dict(KNOWN_MODULES)      # local name -> the module it names ("np" -> "numpy")

    def _module(self, node):
        """The module an expression names (``np``, ``np.linalg``), or None."""
        if isinstance(node, ast.Name):
            return self.modules.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._module(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def _imported(self, module, local=None):
        root = module.split(".")[0]
        if local:
            self.modules[local] = root if local == root else module
        if root in LOW_LEVEL_MODULES:
            self.found.add(LOW_LEVEL)
        if root == "builtins":
            self.found.add(BUILTINS)
        if root == "nnlib":
            self.found.add(NNLIB)
        if module.startswith("grading"):
            self.found.add(HELPERS)

    def visit_Import(self, node):
        for alias in node.names:
            self._imported(alias.name, alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node):
        module = node.module or ""
        for alias in node.names:
            self._imported(module)
            self._imported(f"{module}.{alias.name}", alias.asname or alias.name)
            self._attribute(module, alias.name)

    def _attribute(self, module, name):
        if module == "sys" and name in SYS_ATTRIBUTES:
            self.found |= {INTERPRETER, EXITS} if name == "exit" else {INTERPRETER}
        if module == "os" and OS_FUNCTIONS.fullmatch(name):
            self.found.add(OS_CALLS)

    def visit_Assign(self, node):
        if isinstance(node.value, (ast.Name, ast.Attribute)) and self._module(node.value):
            for target in node.targets:         # m = np: m is numpy too
                if isinstance(target, ast.Name):
                    self.modules[target.id] = self._module(node.value)
        self.generic_visit(node)

    def visit_Attribute(self, node):
        module = self._module(node.value)
        if module:
            self._attribute(module, node.attr)
            if isinstance(node.ctx, (ast.Store, ast.Del)):
                self.found.add(NUMPY if module.split(".")[0] == "numpy" else MODULE_ATTRIBUTE)
        if SPECIAL_NAME.search(node.attr):
            self.found.add(SPECIAL)
        if node.attr in FRAME_ATTRIBUTES:
            self.found.add(INTERPRETER)
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in CALLS:
            self.found.add(CALLS[node.id])
        if SPECIAL_NAME.search(node.id):
            self.found.add(SPECIAL)
        if node.id in HELPER_NAMES and isinstance(node.ctx, (ast.Store, ast.Del)):
            self.found.add(HELPERS)

    def _defines(self, node):
        if SPECIAL_NAME.search(node.name):
            self.found.add(SPECIAL)
        if node.name in HELPER_NAMES:
            self.found.add(HELPERS)
        self.generic_visit(node)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _defines

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            if COURSE_PATH.search(node.value):
                self.found.add(PATHS)
            if SPECIAL_NAME.search(node.value):         # getattr(x, "__eq__")
                self.found.add(SPECIAL)

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id == "open" and node.args \
                and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).lstrip().startswith("/"):
            self.found.add(ABSOLUTE_OPEN)
        self.generic_visit(node)


TEXT_PATTERNS = [
    (r"\b(np|numpy)\s*\.\s*(\w+\s*\.\s*)*\w+\s*=[^=]", NUMPY),
    (r"\bsetattr\s*\(|\bdelattr\s*\(", SETATTR),
    (SPECIAL_NAME.pattern, SPECIAL),
    (r"\b__builtins__\b|\bimport\s+builtins\b|\bfrom\s+builtins\b", BUILTINS),
    (r"\bsys\s*\.\s*(modules|settrace|setprofile|_getframe|excepthook)\b|\bf_back\b|\bf_globals\b", INTERPRETER),
    (r"\b(" + "|".join(sorted(LOW_LEVEL_MODULES)) + r")\b", LOW_LEVEL),
    (r"\bos\s*\.\s*(" + OS_FUNCTIONS.pattern + r")\b", OS_CALLS),
    (r"\bexit\s*\(|\bquit\s*\(|SystemExit|KeyboardInterrupt", EXITS),
    (r"grading\s*\.\s*asserts|\bassert_(close|shape|equal|true)\s*=|CheckFailed", HELPERS),
    (COURSE_PATH.pattern, PATHS),
    (r"\bopen\s*\(\s*['\"]\s*/", ABSOLUTE_OPEN),
    (r"^\s*[!%]|get_ipython", MAGICS),
    (r"\bexec\s*\(|\beval\s*\(|\bcompile\s*\(|__import__", GENERATED),
    (r"\bnnlib\b", NNLIB),
]
_TEXT_PATTERNS = [(re.compile(pattern, re.MULTILINE), why) for pattern, why in TEXT_PATTERNS]


MAGIC_LINE = re.compile(r"^\s*[%!]", re.MULTILINE)


def _as_python(source):
    """The cell as IPython (and the sandbox's runner) turns its ``%magics`` and ``!commands`` into Python."""
    if MAGIC_LINE.search(source):
        try:
            from IPython.core.inputtransformer2 import TransformerManager
            source = TransformerManager().transform_cell(source)
        except Exception:       # IPython refuses it: the runner then runs the text as it is, and so is it read
            pass
    return source


def suspicious(source, visitor=None):
    """The reasons (``why`` phrases) one cell looks like tampering (``visitor``: the notebook's, for its imports)."""
    visitor = visitor or _Visitor()
    try:
        tree = ast.parse(_as_python(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        text = unicodedata.normalize("NFKC", source)
        return {why for pattern, why in _TEXT_PATTERNS if pattern.search(text)}
    found, visitor.found = visitor.found, set()
    try:
        visitor.visit(tree)
    except RecursionError:
        visitor.found.add(GENERATED)
    found, visitor.found = visitor.found, found | visitor.found
    return found


def scan_code(sources):
    """Flags for the cells ``sources`` of one notebook, in order (to be read by a human; never a grade change)."""
    visitor = _Visitor()
    found = set().union(*(suspicious(source, visitor) for source in sources))
    order = [why for _, why in TEXT_PATTERNS] + [MODULE_ATTRIBUTE]
    return [(flag.SUSPICIOUS_CODE, f"the code {why}") for why in dict.fromkeys(order) if why in found]
