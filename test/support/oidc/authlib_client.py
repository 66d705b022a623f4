"""A relying party in another language: Python's authlib, completing the authorization code flow
with PKCE against the provider under test. The test (test/oidc-authlib.e2e-spec.ts) runs it with

    ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, EMAIL, PASSWORD   in the environment

It plays the browser with requests (cookies kept, redirects followed by hand, stopping at the
redirect URI), prints NEED_CODE when the page asks for the emailed code and reads it from stdin,
then exchanges the code with authlib, verifies the ID token against the JWKS with joserfc (authlib's JOSE library),
calls userinfo, and prints one JSON line: {"header", "id_token", "userinfo", "token_type"}.
"""
import json
import os
import re
import sys
from urllib.parse import urljoin

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

ISSUER = os.environ["ISSUER"]
REDIRECT_URI = os.environ["REDIRECT_URI"]


def follow(browser, response):
    """Follows redirects until a page, or until one points at the redirect URI (not fetched)."""
    for _ in range(20):
        if response.status_code not in (302, 303):
            return response, None
        location = urljoin(response.url, response.headers["location"])
        if location.startswith(REDIRECT_URI):
            return response, location
        response = browser.get(location, allow_redirects=False)
    raise RuntimeError("too many redirects")


def post_form(browser, page, step, data):
    match = re.search(r'action="(/oidc/interaction/[^"]+/' + step + ')"', page.text)
    if not match:
        raise RuntimeError(f"no {step} form on the page: {page.status_code} {page.text[:300]}")
    return follow(browser, browser.post(urljoin(ISSUER, match.group(1)), data=data, allow_redirects=False))


def main():
    meta = requests.get(ISSUER + "/.well-known/openid-configuration", timeout=10).json()
    client = OAuth2Session(
        os.environ["CLIENT_ID"],
        os.environ["CLIENT_SECRET"],
        scope="openid profile email",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )
    verifier = generate_token(48)
    nonce = generate_token(20)
    url, state = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )

    browser = requests.Session()
    page, done = follow(browser, browser.get(url, allow_redirects=False))
    page, done = post_form(
        browser, page, "login", {"email": os.environ["EMAIL"], "password": os.environ["PASSWORD"]}
    )
    if done is None:
        print("NEED_CODE", flush=True)
        code = sys.stdin.readline().strip()
        page, done = post_form(browser, page, "verify", {"code": code})
    if done is None:
        raise RuntimeError(f"the sign-in did not return to the client: {page.status_code} {page.text[:300]}")

    token = client.fetch_token(
        meta["token_endpoint"], authorization_response=done, code_verifier=verifier, state=state
    )
    keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    verified = jwt.decode(token["id_token"], keys, algorithms=["ES256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": os.environ["CLIENT_ID"]},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
    ).validate(verified.claims)
    userinfo = client.get(meta["userinfo_endpoint"], timeout=10).json()
    print(
        json.dumps(
            {
                "header": verified.header,
                "id_token": verified.claims,
                "userinfo": userinfo,
                "token_type": token["token_type"],
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
