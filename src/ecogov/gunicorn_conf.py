"""gunicorn's settings for production: `gunicorn -c python:ecogov.gunicorn_conf ecogov.wsgi`
(README, docs/security.md "浏览器安全策略").

gunicorn writes `Server: gunicorn` into every answer itself, before the application's headers,
and has no setting to leave it out. Naming the server and its version only helps an attacker
pick an exploit (OWASP ASVS 14.3.3), so the header is dropped here, in the master process,
before the workers are forked. Anything else may be set on the command line as usual
(`--bind`, `--workers`, `--forwarded-allow-ips`…).
"""

from gunicorn.http import wsgi as _wsgi

_default_headers = _wsgi.Response.default_headers


def _without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_wsgi.Response.default_headers = _without_server

bind = "127.0.0.1:8000"  # behind the reverse proxy that terminates TLS
