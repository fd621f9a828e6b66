"""The documented production command sends no `Server: gunicorn` header, and the production
settings send the Content-Security-Policy and Permissions-Policy (issue 15, failure 9)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _headers(port: int, server: subprocess.Popen):
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:  # it did not boot: say why instead of waiting out a minute
            raise AssertionError(server.stderr.read().decode(errors="replace")[-3000:])
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/static/none.css")
            opener = urllib.request.build_opener(NoRedirect)
            try:
                response = opener.open(request, timeout=60)
            except (
                urllib.error.HTTPError
            ) as answer:  # the redirect to https, a 4xx: headers all the same
                response = answer
            return response.headers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.parametrize("with_config", [True, False])
def test_production_command_hides_the_server_and_sends_the_policies(tmp_path, with_config):
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed in this environment")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecogov.settings.production",
        "SECRET_KEY": "x" * 64,
        "ECOGOV_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ECOGOV_CHAIN_KEY": "k" * 40,
        "ECOGOV_FIELD_KEY": "f" * 64,
    }
    # the command of README ("Production"), with the port of this test
    command = [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "90"]
    if with_config:
        command[1:1] = ["-c", "python:ecogov.gunicorn_conf"]
    server = subprocess.Popen(
        [*command, "ecogov.wsgi"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        headers = _headers(port, server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if with_config:
        assert "Server" not in headers, headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
    else:  # the control: gunicorn alone does announce itself, so the test can see the header
        assert headers["Server"].startswith("gunicorn")
