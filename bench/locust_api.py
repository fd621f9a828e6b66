"""The clients of bench_api_load.py (locust): people reading the public portal and other
systems reading the API's lists with a token. Not run on its own: bench_api_load.py starts
locust headless with this file, the token in ECOGOV_BENCH_TOKEN and the lists in
ECOGOV_BENCH_PATHS (JSON: {"portal": [...], "api": [...]})."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

PATHS = json.loads(os.environ.get("ECOGOV_BENCH_PATHS", '{"portal": [], "api": []}'))
TOKEN = os.environ.get("ECOGOV_BENCH_TOKEN", "")


class Client(HttpUser):
    # a client reads a page, looks at it for a moment, reads the next: 50 of them at once
    wait_time = between(0.5, 1.5)

    @task(1)
    def portal_list(self):
        path = random.choice(PATHS["portal"])
        self.client.get(path, name=path, headers={"Accept-Encoding": "gzip"})

    @task(1)
    def api_list(self):
        path = random.choice(PATHS["api"])
        self.client.get(
            path,
            name=path,
            headers={"Authorization": f"Bearer {TOKEN}", "Accept-Encoding": "gzip"},
        )
