#!/usr/bin/env python3
"""Keycloak side of the bench, through its admin REST API (Python standard library only).

  keycloak.py provision [--users 200]   realm `bench` (Keycloak's defaults), client bench-cli, users
  keycloak.py tokens --n N --out FILE --field access_token|refresh_token [--scope openid]
  keycloak.py set-revoke on|off          rotating refresh tokens (revokeRefreshToken, max reuse 0)
  keycloak.py check                      one request per scenario must answer 200 (401 for a bad password)

Users user{i} / user{i}@example.test, i = 1..N, password PASSWORD, email verified and names set
(so no required action stops the password grant). No password policy: Keycloak 26.4's default
hash applies (argon2id, m 7168 KiB, t 5, p 1); provision prints what the stored credential carries.
"""
import argparse, json, os, time, urllib.error, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

BASE = "http://127.0.0.1:" + os.environ.get("KC_PORT", "18080")
REALM, CLIENT, PASSWORD = "bench", "bench-cli", "benchpass123"


def http(method, path, token=None, body=None, form=None, ok=(200, 201, 204)):
    headers, data = {}, None
    if token:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        data = json.dumps(body).encode(); headers["Content-Type"] = "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            raw, status = r.read(), r.status
    except urllib.error.HTTPError as e:
        raw, status = e.read(), e.code
    if status not in ok:
        raise RuntimeError(f"{method} {path} -> {status}: {raw[:300]!r}")
    return status, (json.loads(raw) if raw else None)


def admin_token():
    return http("POST", "/realms/master/protocol/openid-connect/token", form={
        "grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": "admin"})[1]["access_token"]


def login(i, scope=None):
    form = {"grant_type": "password", "client_id": CLIENT, "username": f"user{i}@example.test", "password": PASSWORD}
    if scope:
        form["scope"] = scope
    return http("POST", f"/realms/{REALM}/protocol/openid-connect/token", form=form)[1]


def provision(a):
    tok = admin_token()
    if http("GET", f"/admin/realms/{REALM}", token=tok, ok=(200, 404))[0] == 200:
        http("DELETE", f"/admin/realms/{REALM}", token=tok)
    http("POST", "/admin/realms", token=tok, body={"realm": REALM, "enabled": True})
    http("POST", f"/admin/realms/{REALM}/clients", token=tok, body={
        "clientId": CLIENT, "enabled": True, "publicClient": True,
        "directAccessGrantsEnabled": True, "standardFlowEnabled": False})

    def create(i):
        http("POST", f"/admin/realms/{REALM}/users", token=tok, body={
            "username": f"user{i}", "email": f"user{i}@example.test", "emailVerified": True,
            "firstName": "User", "lastName": str(i), "enabled": True,
            "credentials": [{"type": "password", "value": PASSWORD, "temporary": False}]})
    t0 = time.time()
    with ThreadPoolExecutor(4) as ex:
        list(ex.map(create, range(1, a.users + 1)))
    users = http("GET", f"/admin/realms/{REALM}/users?username=user1&exact=true", token=tok)[1]
    creds = http("GET", f"/admin/realms/{REALM}/users/{users[0]['id']}/credentials", token=tok)[1]
    print(f"[keycloak] {a.users} users in {time.time() - t0:.1f} s; stored hash: {creds[0]['credentialData']}")


def tokens(a):
    users = [1 + (k % int(os.environ.get("NUSERS", "200"))) for k in range(a.n)]
    with ThreadPoolExecutor(4) as ex:
        toks = list(ex.map(lambda i: login(i, a.scope)[a.field], users))
    with open(a.out, "w") as f:
        f.write("\n".join(toks) + "\n")


def set_revoke(a):
    http("PUT", f"/admin/realms/{REALM}", token=admin_token(),
         body={"revokeRefreshToken": a.state == "on", "refreshTokenMaxReuse": 0})


def check(_):
    t = f"/realms/{REALM}/protocol/openid-connect"
    j = login(1)
    http("POST", t + "/token", form={"grant_type": "refresh_token", "client_id": CLIENT, "refresh_token": j["refresh_token"]})
    ui = http("GET", t + "/userinfo", token=login(2, "openid")["access_token"])[1]
    assert ui.get("email") == "user2@example.test", ui
    http("POST", t + "/token", ok=(400, 401), form={
        "grant_type": "password", "client_id": CLIENT, "username": "user1@example.test", "password": "wrong"})
    print("[keycloak] checks: password grant, refresh grant, userinfo 200; wrong password refused")


def main():
    p = argparse.ArgumentParser()
    sp = p.add_subparsers(dest="cmd", required=True)
    sp.add_parser("provision").add_argument("--users", type=int, default=200)
    s = sp.add_parser("tokens"); s.add_argument("--n", type=int, default=32); s.add_argument("--out", required=True)
    s.add_argument("--field", default="access_token"); s.add_argument("--scope", default=None)
    sp.add_parser("set-revoke").add_argument("state", choices=["on", "off"])
    sp.add_parser("check")
    a = p.parse_args()
    {"provision": provision, "tokens": tokens, "set-revoke": set_revoke, "check": check}[a.cmd](a)


if __name__ == "__main__":
    main()
