"""schemathesis hook for the authenticated fuzz run (scripts/fuzz.sh): a fresh bearer token per case.

The fuzzer calls logout, logout-all and DELETE /sessions/{id} (it finds the current session's id
through GET /sessions), each of which revokes the token it was sent with. A token shared by the
whole run would die there and leave every later request a 401, so every generated case that needs
the bearer scheme gets its own token: one password login (LOGIN_EMAIL_OTP=false) as the admin the
harness bootstrapped. Cases whose Authorization was removed or broken on purpose keep it that way
(schemathesis skips auth for them). Operations without a security requirement get no token;
GET /metrics (its own `metrics` scheme) gets the METRICS_TOKEN the harness started the server with.
"""

from __future__ import annotations

import os
import sys

import requests
import schemathesis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz_ndjson  # noqa: E402,F401  (registers the JSON Lines serializer for this run too)

BASE_URL = os.environ["FUZZ_BASE_URL"]
CREDENTIALS = {"email": os.environ["FUZZ_ADMIN_EMAIL"], "password": os.environ["FUZZ_ADMIN_PASSWORD"]}
METRICS_TOKEN = os.environ["FUZZ_METRICS_TOKEN"]
_session = requests.Session()
_session.trust_env = False  # loopback only: never a proxy


def _needs(operation, scheme: str) -> bool:
    security = operation.definition.raw.get("security")
    return bool(security) and any(scheme in requirement for requirement in security)


@schemathesis.auth(refresh_interval=None)
class FreshAdminToken:
    def get(self, case, context):
        if _needs(context.operation, "metrics"):
            return METRICS_TOKEN
        if not _needs(context.operation, "bearer"):
            return None
        response = _session.post(f"{BASE_URL}/api/v1/auth/login", json=CREDENTIALS, timeout=10)
        if response.status_code != 200 or "accessToken" not in response.json():
            raise RuntimeError(f"admin login failed: {response.status_code} {response.text[:200]}")
        return response.json()["accessToken"]

    def set(self, case, data, context):
        case.headers = dict(case.headers or {})
        case.headers["Authorization"] = f"Bearer {data}"
