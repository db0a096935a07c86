"""A real Jupyter server for tests and the redraw benchmark: JupyterLab 4 and Notebook 7 from the venv.

``JupyterServer(root)`` starts ``jupyter lab`` on a free loopback port with a random token, in a private
configuration (no news, no update checks, autosave off, nothing read from or written to the user's
Jupyter folders) and serves ``root``; ``stop()`` ends it by its process id.  The test copies the
notebooks into ``root`` first, so running them never touches the repository.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Settings a fresh user would not notice, but which keep a test quiet and the copied notebooks unchanged.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                         "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # every cell stays in the page, so a test can read every rendered markdown cell
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterServer:
    """``account`` (a tests.shared_machine.Account): run the server as that Unix account, from its environment."""

    def __init__(self, root, home, account=None):
        self.root, self.home = Path(root), Path(home)
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        settings = self.home / "lab-settings"
        for name, value in SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(value))
        private = dict(JUPYTER_CONFIG_DIR=str(self.home / "config"), JUPYTER_RUNTIME_DIR=str(self.home / "runtime"),
                       JUPYTER_DATA_DIR=str(self.home / "data"), IPYTHONDIR=str(self.home / "ipython"),
                       MPLBACKEND="Agg")
        env = dict(os.environ, **private,
                   PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        lab = account.bin / "jupyter-lab" if account else Path(sys.executable).with_name("jupyter-lab")
        cmd = [str(lab), "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
               "--LabApp.news_url=", "--LabApp.expose_app_in_browser=True",
               "--JupyterNotebookApp.expose_app_in_browser=True",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        self.log = open(self.home / "jupyter.log", "w")
        if account:
            subprocess.run(["chown", "-R", f"{account.name}:", str(self.home)], check=True)
            cmd, env = account.argv(cmd, **private), None
        self.process = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def _wait_until_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited: see {self.home / 'jupyter.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout} s")

    def lab(self, path):
        """The JupyterLab address of a notebook (relative to the root), in a fresh workspace: no other tab."""
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"

    def notebook7(self, path):
        """The Notebook 7 address of a notebook."""
        return f"{self.url}/notebooks/{path}?token={self.token}"

    def shut_down_kernels(self):
        """End every kernel session (each test's notebook leaves one running)."""
        for session in self._api("GET", "sessions"):
            self._api("DELETE", f"sessions/{session['id']}")

    def _api(self, method, path):
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
