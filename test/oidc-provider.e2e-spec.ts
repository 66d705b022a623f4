import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { OidcProviderHost } from '../src/oidc/oidc-provider.host';
import { PurgeOidcRecordsJob } from '../src/oidc/purge-oidc-records.job';
import { SigningKeys } from '../src/signing-keys/signing-keys.service';
import { ADMIN, ADMIN_ENV, login, member } from './support/admin-helpers';
import { bearer, Pair } from './support/auth-helpers';
import {
  freePort,
  oauthError,
  registerClient,
  RegisteredClient,
  relyingParty,
} from './support/oidc-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The OpenID provider's machine-to-machine half: discovery, admin-managed clients,
 * client_credentials with scopes, JWT access tokens a verifier checks with nothing but our JWKS
 * URL, introspection and revocation, and OAuth errors (never a 500). The relying party is
 * openid-client, the verifier jose.
 */
describe('OpenID provider: discovery, clients, client_credentials', () => {
  let t: TestApp;
  let issuer: string;
  let admin: Pair;
  let service: RegisteredClient;
  const api = () => `${issuer}/api`;

  const verify = (token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), {
      issuer,
      audience: api(),
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    t = await createTestApp({ ...ADMIN_ENV, PUBLIC_URL: issuer });
    await t.app.listen(port, '127.0.0.1');
    admin = await login(t, ADMIN.email, ADMIN.password);
    service = await registerClient(t, admin, {
      name: 'Reports service',
      grantTypes: ['client_credentials'],
      scopes: ['reports:read', 'reports:write'],
    });
  });

  afterAll(() => t?.close());

  describe('discovery', () => {
    it('publishes the issuer PUBLIC_URL, endpoints under /oidc and the same JWKS', async () => {
      const config = await relyingParty(issuer, service);
      const meta = config.serverMetadata();
      expect(meta.issuer).toBe(issuer);
      expect(meta.jwks_uri).toBe(`${issuer}/.well-known/jwks.json`);
      for (const endpoint of [
        meta.authorization_endpoint,
        meta.token_endpoint,
        meta.userinfo_endpoint,
        meta.introspection_endpoint,
        meta.revocation_endpoint,
        meta.end_session_endpoint,
      ])
        expect(endpoint).toMatch(new RegExp(`^${issuer}/oidc/`));
      expect(meta.grant_types_supported).toEqual(
        expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
      );
      expect(meta.code_challenge_methods_supported).toEqual(['S256']);
      expect(meta.id_token_signing_alg_values_supported).toEqual(['ES256']);
      expect(meta.scopes_supported).toEqual(
        expect.arrayContaining(['openid', 'profile', 'email', 'phone', 'roles']),
      );
    });
  });

  describe('admin-managed clients', () => {
    it('shows a confidential client its secret once, stores it encrypted, and audits', async () => {
      const created = await registerClient(t, admin, {
        name: 'Billing',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: ['https://billing.example.com/callback'],
        firstParty: false,
      });
      expect(created.clientSecret).toMatch(/^[\w-]{43}$/);
      const list = await t.http().get('/api/v1/admin/oidc-clients').set(bearer(admin)).expect(200);
      const listed = (list.body.items as RegisteredClient[]).find(
        (c) => c.clientId === created.clientId,
      );
      expect(listed).toMatchObject({ name: 'Billing', firstParty: false, public: false });
      expect(JSON.stringify(list.body)).not.toContain(created.clientSecret);
      const stored = await t.db
        .collection('oidc_clients')
        .findOne({ _id: created.clientId as never });
      expect(JSON.stringify(stored)).not.toContain(created.clientSecret);
      await t.settle();
      const audit = await t.db
        .collection('audit_logs')
        .findOne({ action: 'oidc_clients.created', targetId: created.clientId });
      expect(audit).toMatchObject({ actorId: admin.user.id, outcome: 'success' });
    });

    it('gives a public client no secret', async () => {
      const created = await registerClient(t, admin, {
        name: 'SPA',
        grantTypes: ['authorization_code'],
        redirectUris: ['http://127.0.0.1:5173/callback'],
        public: true,
      });
      expect(created.clientSecret).toBeUndefined();
      await t
        .http()
        .post(`/api/v1/admin/oidc-clients/${created.clientId}/rotate-secret`)
        .set(bearer(admin))
        .expect(409);
    });

    it.each([
      [{ grantTypes: ['implicit'] }],
      [{ grantTypes: ['authorization_code'] }],
      [{ grantTypes: ['client_credentials'], public: true }],
      [{ grantTypes: ['refresh_token'] }],
      [{ grantTypes: ['client_credentials'], scopes: ['Not A Scope'] }],
      [{ grantTypes: ['authorization_code'], redirectUris: ['javascript:alert(1)'] }],
      [{ grantTypes: ['client_credentials'], firstParty: 'yes' }],
    ])('refuses an inconsistent client %j with 400', async (patch) => {
      const res = await t
        .http()
        .post('/api/v1/admin/oidc-clients')
        .set(bearer(admin))
        .send({ name: 'x', firstParty: true, public: false, ...patch })
        .expect(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('needs a token and the oidc-clients:manage permission', async () => {
      await t.http().get('/api/v1/admin/oidc-clients').expect(401);
      const someone = await member(t, 'someone@example.com');
      await t.http().get('/api/v1/admin/oidc-clients').set(bearer(someone)).expect(403);
      await t
        .http()
        .post('/api/v1/admin/oidc-clients')
        .set(bearer(someone))
        .send({ name: 'x', grantTypes: ['client_credentials'], firstParty: true, public: false })
        .expect(403);
    });

    it('answers 404 for a client that does not exist', async () => {
      for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'not-an-id', '%00'])
        await t
          .http()
          .post(`/api/v1/admin/oidc-clients/${id}/rotate-secret`)
          .set(bearer(admin))
          .expect(404);
      await t
        .http()
        .delete('/api/v1/admin/oidc-clients/AAAAAAAAAAAAAAAAAAAAAA')
        .set(bearer(admin))
        .expect(404);
    });
  });

  describe('client_credentials', () => {
    it('issues an ES256 JWT for the API that a verifier holding only the JWKS URL accepts', async () => {
      const config = await relyingParty(issuer, service);
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'reports:read' });
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(tokens.scope).toBe('reports:read');
      const { payload, protectedHeader } = await verify(tokens.access_token);
      expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      expect(protectedHeader.kid).toBe(t.app.get(SigningKeys).signer().kid);
      expect(payload).toMatchObject({
        client_id: service.clientId,
        sub: service.clientId,
        scope: 'reports:read',
      });
    });

    it('refuses a scope the client was not given (invalid_scope), and a wrong secret (invalid_client)', async () => {
      const config = await relyingParty(issuer, service);
      expect(await oauthError(oidc.clientCredentialsGrant(config, { scope: 'admin:all' }))).toBe(
        'invalid_scope',
      );
      const wrong = await relyingParty(issuer, { ...service, clientSecret: 'x'.repeat(43) });
      expect(await oauthError(oidc.clientCredentialsGrant(wrong, { scope: 'reports:read' }))).toBe(
        'invalid_client',
      );
      expect(
        await oauthError(
          oidc.clientCredentialsGrant(config, {
            scope: 'reports:read',
            resource: 'https://elsewhere.example',
          }),
        ),
      ).toBe('invalid_target');
    });

    it('signs with the new key after a rotation; tokens from the old one still verify', async () => {
      const config = await relyingParty(issuer, service);
      const before = (await oidc.clientCredentialsGrant(config, { scope: 'reports:read' }))
        .access_token;
      const rotated = await t
        .http()
        .post('/api/v1/admin/signing-keys/rotate')
        .set(bearer(admin))
        .expect(200);
      const after = (await oidc.clientCredentialsGrant(config, { scope: 'reports:read' }))
        .access_token;
      expect(decodeProtectedHeader(after).kid).toBe(rotated.body.kid);
      expect(decodeProtectedHeader(before).kid).not.toBe(rotated.body.kid);
      await verify(after);
      await verify(before);
    });

    it('rotating the secret refuses the old one at once', async () => {
      const client = await registerClient(t, admin, {
        name: 'Rotating',
        grantTypes: ['client_credentials'],
      });
      const res = await t
        .http()
        .post(`/api/v1/admin/oidc-clients/${client.clientId}/rotate-secret`)
        .set(bearer(admin))
        .expect(200);
      expect(res.body.clientSecret).not.toBe(client.clientSecret);
      const old = await relyingParty(issuer, client);
      expect(await oauthError(oidc.clientCredentialsGrant(old))).toBe('invalid_client');
      const fresh = await relyingParty(issuer, { ...client, clientSecret: res.body.clientSecret });
      await oidc.clientCredentialsGrant(fresh);
    });

    it('a deleted client gets nothing more', async () => {
      const client = await registerClient(t, admin, {
        name: 'Gone',
        grantTypes: ['client_credentials'],
      });
      const config = await relyingParty(issuer, client);
      await oidc.clientCredentialsGrant(config);
      await t
        .http()
        .delete(`/api/v1/admin/oidc-clients/${client.clientId}`)
        .set(bearer(admin))
        .expect(204);
      expect(await oauthError(oidc.clientCredentialsGrant(config))).toBe('invalid_client');
    });
  });

  describe('introspection and revocation', () => {
    it('answers active: false for a token it never issued, and revocation of one with 200', async () => {
      const config = await relyingParty(issuer, service);
      expect(await oidc.tokenIntrospection(config, 'not-a-token-we-issued')).toEqual({
        active: false,
      });
      await oidc.tokenRevocation(config, 'not-a-token-we-issued');
    });

    it('says a structured (JWT) access token is checked with the JWKS, not here', async () => {
      const config = await relyingParty(issuer, service);
      const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'reports:read' });
      expect(await oauthError(oidc.tokenIntrospection(config, access_token))).toBe(
        'unsupported_token_type',
      );
    });

    it('needs client authentication', async () => {
      for (const path of ['/oidc/token/introspection', '/oidc/token/revocation']) {
        const res = await t.http().post(path).type('form').send({ token: 'abc' }).expect(400);
        expect(res.body.error).toBe('invalid_request');
      }
    });
  });

  describe('protocol errors', () => {
    it.each([
      [
        'a form without grant_type',
        (r: ReturnType<TestApp['http']>) => r.post('/oidc/token').type('form').send({ x: '1' }),
      ],
      [
        'a JSON body',
        (r: ReturnType<TestApp['http']>) =>
          r.post('/oidc/token').send({ grant_type: 'client_credentials' }),
      ],
      [
        'a malformed form',
        (r: ReturnType<TestApp['http']>) => r.post('/oidc/token').type('form').send('%%%'),
      ],
      [
        'an unknown grant',
        (r: ReturnType<TestApp['http']>) =>
          r.post('/oidc/token').type('form').send({ grant_type: 'password' }),
      ],
      ['an unknown route', (r: ReturnType<TestApp['http']>) => r.get('/oidc/nothing-here')],
      ['userinfo without a token', (r: ReturnType<TestApp['http']>) => r.get('/oidc/me')],
    ])('answers %s with an OAuth error, never a 500', async (_name, send) => {
      const res = await send(t.http());
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error).toEqual(expect.any(String));
      expect(res.headers['x-request-id']).toBeDefined();
    });
  });

  it('keeps its records in MongoDB, and the purge job removes expired ones', async () => {
    const records = t.db.collection('oidc_records');
    await records.insertOne({
      _id: 'Interaction:old' as never,
      kind: 'Interaction',
      payload: '{}',
      expiresAt: new Date(t.clock.now().getTime() - 1000),
    });
    expect(await t.app.get(PurgeOidcRecordsJob).run()).toBeGreaterThanOrEqual(1);
    expect(await records.findOne({ _id: 'Interaction:old' as never })).toBeNull();
    expect(t.app.get(OidcProviderHost).issuer).toBe(issuer);
  });
});
