"""The kernel that runs a student's notebook as it is graded: the one definition of "as graded" outside the sandbox.

The grading sandbox (``grading/marking/sandbox.py``) has NumPy and ``grading.asserts`` but not nnlib.  This kernel is
Python's own (ipykernel) with one difference: importing nnlib fails, with a message that says why.  Two entry points
use it, so that they cannot disagree:

* ``python -m grading check NOTEBOOK`` starts it from the kernel spec in this package (``kernel_manager()``);
* nbgrader's Validate — JupyterLab's and Notebook 7's button and ``nbgrader validate`` — runs the notebook in the
  kernel named by ``c.Execute.kernel_name = KERNEL_NAME`` (``SETTINGS``), which ``install()`` (``make install``, or
  ``python -m grading.graded_kernel install``) puts into the environment's ``share/jupyter/kernels``.

``python -m grading.graded_kernel -f CONNECTION_FILE`` is the kernel itself (the spec's command).
"""
from __future__ import annotations

import os
import shutil
import sys

KERNEL_NAME = "python3-as-graded"
UNAVAILABLE = ("nnlib",)            # what the sandbox does not mount
SPECS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernelspec")
# The lines of an nbgrader_config.py that make Validate run notebooks as grading does, and show the error of an answer
# cell too (e.g. the failed import of nnlib), not only the test cells that then fail.
SETTINGS = (f'c.Execute.kernel_name = "{KERNEL_NAME}"', "c.Validator.validate_all = True")


class NotWhenGraded:
    """A meta path finder that refuses the modules grading does not provide."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in UNAVAILABLE:      # the student sees this line in the traceback
            raise ModuleNotFoundError(f"No module named {name!r}: it is not available when graded", name=name)
        return None


def hide_unavailable():
    for name in [name for name in sys.modules if name.split(".")[0] in UNAVAILABLE]:
        del sys.modules[name]
    sys.meta_path.insert(0, NotWhenGraded())


def kernel_manager(**kwargs):
    """A kernel manager for this kernel that needs nothing installed (the spec is read from this package)."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    return AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[SPECS]),
                              **kwargs)


def install(prefix=sys.prefix):
    """Put the kernel spec into ``prefix``'s Jupyter data folder (where nbgrader's Validate looks it up)."""
    target = os.path.join(prefix, "share", "jupyter", "kernels", KERNEL_NAME)
    os.makedirs(target, exist_ok=True)
    shutil.copyfile(os.path.join(SPECS, KERNEL_NAME, "kernel.json"), os.path.join(target, "kernel.json"))
    return target


def _main(argv):
    if argv[:1] == ["install"]:
        print(f"installed the kernel {KERNEL_NAME!r} into {install(*argv[1:2])}")
        return
    hide_unavailable()
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    _main(sys.argv[1:])
