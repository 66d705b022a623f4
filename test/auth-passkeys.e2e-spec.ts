import { Types } from 'mongoose';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { auditEntries, bearer, Pair, PASSWORD, signIn, signUp } from './support/auth-helpers';
import { addVirtualAuthenticator, chromiumOrSkip, launchChromium } from './support/chromium';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Passkeys (issue 24) with real ceremonies: Debian's Chromium driven by puppeteer-core, with a
 * virtual authenticator added over the DevTools protocol (internal transport, resident keys, user
 * verification). The page is an empty one served by the browser itself (request interception)
 * at PUBLIC_URL's origin, so the relying party and origin come from their defaults; the test
 * relays what the page's `navigator.credentials` answered to the API, as a front end would.
 */
const { chromium, describeBrowser } = chromiumOrSkip('the passkey tests');

jest.setTimeout(120_000);

const ORIGIN = 'http://localhost:4321';
const ADMIN = { email: 'root@example.com', password: 'correct horse battery staple admin' };
const FOREIGN_ORIGIN = 'http://localhost:4322';

// What the functions evaluated in the page touch (the backend's tsconfig has no DOM library).
declare const PublicKeyCredential: {
  parseCreationOptionsFromJSON(options: unknown): unknown;
  parseRequestOptionsFromJSON(options: unknown): unknown;
};
declare const navigator: {
  credentials: {
    create(options: unknown): Promise<{ toJSON(): unknown }>;
    get(options: unknown): Promise<{ toJSON(): unknown }>;
  };
};

interface Device {
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
}

type Json = Record<string, unknown>;

describeBrowser('Passkeys in Chromium', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({
      PUBLIC_URL: ORIGIN,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    browser = await launchChromium(chromium);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A tab at `origin` with a platform authenticator of its own (another device). */
  async function device(origin = ORIGIN, userVerified = true): Promise<Device> {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      void request.respond({ status: 200, contentType: 'text/html', body: '<!doctype html>' });
    });
    await page.goto(`${origin}/`);
    return { page, ...(await addVirtualAuthenticator(page, userVerified)) };
  }

  const create = async (d: Device, options: Json): Promise<Json> => {
    await d.page.bringToFront(); // a ceremony needs the focused tab
    return d.page.evaluate(async (o) => {
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(o);
      return (await navigator.credentials.create({ publicKey })).toJSON() as Json;
    }, options);
  };
  const get = async (d: Device, options: Json): Promise<Json> => {
    await d.page.bringToFront();
    return d.page.evaluate(async (o) => {
      const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(o);
      return (await navigator.credentials.get({ publicKey })).toJSON() as Json;
    }, options);
  };

  const registrationOptions = async (pair: Pair) =>
    (
      await t
        .http()
        .post('/api/v1/users/me/passkeys/options')
        .set(bearer(pair))
        .send({ password: PASSWORD })
        .expect(200)
    ).body as Json;
  const register = (pair: Pair, credential: Json, name = 'Laptop') =>
    t.http().post('/api/v1/users/me/passkeys').set(bearer(pair)).send({ name, credential });
  async function addPasskey(pair: Pair, d: Device, name = 'Laptop') {
    const credential = await create(d, await registrationOptions(pair));
    return (await register(pair, credential, name).expect(201)).body as Json;
  }
  const signInOptions = async () =>
    (await t.http().post('/api/v1/auth/passkeys/options').expect(200)).body as Json;
  const verify = (credential: Json, extra: Json = {}) =>
    t
      .http()
      .post('/api/v1/auth/passkeys/verify')
      .send({ credential, ...extra });
  const list = async (pair: Pair) =>
    (await t.http().get('/api/v1/users/me/passkeys').set(bearer(pair)).expect(200)).body
      .items as Json[];
  const passkeysOf = (userId: string) =>
    t.db.collection('passkeys').countDocuments({ userId: new Types.ObjectId(userId) });
  const sessionsOf = (userId: string) => t.db.collection('sessions').countDocuments({ userId });

  async function account(email: string): Promise<Pair> {
    await signUp(t, email);
    return signIn(t, email);
  }

  it('registers a passkey after a step-up: discoverable, user verification required; mails the owner', async () => {
    const pair = await account('ada@example.com');
    const options = t.http().post('/api/v1/users/me/passkeys/options').set(bearer(pair));
    expect((await options.send({}).expect(400)).body.code).toBe('password_required');
    await t
      .http()
      .post('/api/v1/users/me/passkeys/options')
      .set(bearer(pair))
      .send({ password: 'not the password' })
      .expect(400);
    const creation = await registrationOptions(pair);
    expect(creation).toMatchObject({
      rp: { id: 'localhost' },
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
    const d = await device();
    const credential = await create(d, creation);
    const added = await register(pair, credential, 'Work laptop').expect(201);
    expect(added.body).toEqual({
      id: expect.any(String),
      name: 'Work laptop',
      deviceType: expect.stringMatching(/^(single|multi)Device$/),
      backedUp: expect.any(Boolean),
      createdAt: expect.any(String),
    });
    expect(await list(pair)).toEqual([added.body]);
    await t.settle();
    expect(t.mail.to('ada@example.com').at(-1)?.subject).toMatch(/passkey/i);
    expect(await auditEntries(t, 'auth.passkey.added')).toHaveLength(1);
    // The same challenge again: refused, nothing more stored.
    expect((await register(pair, credential).expect(400)).body.code).toBe(
      'passkey_challenge_invalid',
    );
    expect(await passkeysOf(pair.user.id)).toBe(1);
    await d.page.close();
  });

  it('without a password, asks for a sign-in in the last 10 minutes before adding a passkey', async () => {
    const pair = await account('nopassword@example.com');
    const users = t.db.collection('users');
    const old = new Date(t.clock.now().getTime() - 11 * 60_000);
    await users.updateOne(
      { email: 'nopassword@example.com' },
      { $unset: { passwordHash: 1 }, $set: { lastLoginAt: old } },
    );
    const options = () =>
      t.http().post('/api/v1/users/me/passkeys/options').set(bearer(pair)).send({});
    expect((await options().expect(403)).body.code).toBe('step_up_required');
    await users.updateOne(
      { email: 'nopassword@example.com' },
      { $set: { lastLoginAt: t.clock.now() } },
    );
    await options().expect(200);
  });

  it('signs in username-less with the passkey: the token pair (or the cookie), no second step', async () => {
    const pair = await account('grace@example.com');
    const d = await device();
    await addPasskey(pair, d);
    const assertion = await get(d, await signInOptions());
    const answer = await verify(assertion);
    if (answer.status !== 200) console.log(JSON.stringify(answer.body), JSON.stringify(assertion));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      user: { email: 'grace@example.com' },
    });
    await t
      .http()
      .get('/api/v1/users/me')
      .set(bearer(answer.body as Pair))
      .expect(200);

    const withCookie = await verify(await get(d, await signInOptions()), {
      refreshTokenCookie: true,
    }).expect(200);
    expect(withCookie.body.refreshToken).toBeUndefined();
    expect(String(withCookie.headers['set-cookie'])).toMatch(/HttpOnly/);
    await d.page.close();
  });

  it('a second device gets a passkey of its own; each signs in', async () => {
    const pair = await account('linus@example.com');
    const laptop = await device();
    const phone = await device();
    await addPasskey(pair, laptop, 'Laptop');
    await addPasskey(pair, phone, 'Phone');
    expect((await list(pair)).map((p) => p.name)).toEqual(['Laptop', 'Phone']);
    for (const d of [laptop, phone]) {
      const answer = await verify(await get(d, await signInOptions())).expect(200);
      expect(answer.body.user.email).toBe('linus@example.com');
    }
    await laptop.page.close();
    await phone.page.close();
  });

  it('renames and removes a passkey: a removed one no longer signs in; the last way in stays', async () => {
    const pair = await account('barbara@example.com');
    const d = await device();
    const added = await addPasskey(pair, d);
    await t
      .http()
      .patch(`/api/v1/users/me/passkeys/${String(added.id)}`)
      .set(bearer(pair))
      .send({ name: 'Old laptop' })
      .expect(200);
    // Without a password, the only passkey is the last way in.
    const users = t.db.collection('users');
    await users.updateOne({ email: 'barbara@example.com' }, { $unset: { passwordHash: 1 } });
    const remove = () =>
      t
        .http()
        .delete(`/api/v1/users/me/passkeys/${String(added.id)}`)
        .set(bearer(pair));
    expect((await remove().expect(409)).body.code).toBe('last_sign_in_method');
    expect(await passkeysOf(pair.user.id)).toBe(1);
    const assertion = await get(d, await signInOptions());
    await users.updateOne(
      { email: 'barbara@example.com' },
      { $set: { passwordHash: 'x' } }, // any hash: a password exists again
    );
    await remove().expect(204);
    await t.settle();
    expect(t.mail.to('barbara@example.com').at(-1)?.subject).toMatch(/passkey/i);
    expect((await verify(assertion).expect(401)).body.code).toBe('passkey_unknown');
    await d.page.close();
  });

  it('asks for the passkey after the password (method "passkey"), bound to that attempt', async () => {
    const pair = await account('second@example.com');
    const d = await device();
    await addPasskey(pair, d);
    const login = () =>
      t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'second@example.com', password: PASSWORD })
        .expect(200);
    const step1 = await login();
    expect(step1.body).toEqual({
      mfaRequired: true,
      mfaToken: expect.any(String),
      method: 'passkey',
    });
    const { mfaToken } = step1.body as { mfaToken: string };
    // A code is not the answer to a passkey step.
    await t.http().post('/api/v1/auth/login/verify').send({ mfaToken, code: '123456' }).expect(400);
    const options = (
      await t.http().post('/api/v1/auth/login/passkey/options').send({ mfaToken }).expect(200)
    ).body as Json;
    expect(options.allowCredentials).toHaveLength(1);
    const credential = await get(d, options);
    // Another attempt's token does not take this attempt's challenge.
    const other = (await login()).body.mfaToken as string;
    const stepVerify = (token: string) =>
      t.http().post('/api/v1/auth/login/passkey/verify').send({ mfaToken: token, credential });
    expect((await stepVerify(other).expect(400)).body.code).toBe('passkey_challenge_invalid');
    const fresh = (
      await t.http().post('/api/v1/auth/login/passkey/options').send({ mfaToken }).expect(200)
    ).body as Json;
    const answer = await t
      .http()
      .post('/api/v1/auth/login/passkey/verify')
      .send({ mfaToken, credential: await get(d, fresh) })
      .expect(200);
    expect(answer.body.user.email).toBe('second@example.com');
    await d.page.close();
  });

  it("refuses another account's passkey at the second step, and counts it", async () => {
    const owner = await account('owner@example.com');
    const intruder = await account('intruder@example.com');
    const mine = await device();
    const theirs = await device();
    await addPasskey(owner, mine);
    await addPasskey(intruder, theirs);
    const step1 = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'owner@example.com', password: PASSWORD })
      .expect(200);
    const { mfaToken } = step1.body as { mfaToken: string };
    const options = (
      await t.http().post('/api/v1/auth/login/passkey/options').send({ mfaToken }).expect(200)
    ).body as Json;
    // The intruder's authenticator signs the owner's challenge with the intruder's passkey.
    const credential = await get(theirs, { ...options, allowCredentials: [] });
    const refused = await t
      .http()
      .post('/api/v1/auth/login/passkey/verify')
      .send({ mfaToken, credential })
      .expect(401);
    expect(refused.body.code).toBe('passkey_unknown');
    expect(await auditEntries(t, 'auth.second_step.failed')).toEqual(
      expect.arrayContaining([expect.objectContaining({ details: { method: 'passkey' } })]),
    );
    await mine.page.close();
    await theirs.page.close();
  });

  it('lets an admin see and remove a user’s passkeys (lost device): audited and mailed', async () => {
    const admin = await signIn(t, ADMIN.email, ADMIN.password);
    const pair = await account('lost@example.com');
    const d = await device();
    await addPasskey(pair, d);
    const url = `/api/v1/admin/users/${pair.user.id}/passkeys`;
    const seen = await t.http().get(url).set(bearer(admin)).expect(200);
    expect(seen.body.items).toHaveLength(1);
    await t.http().get(url).set(bearer(pair)).expect(403);
    await t.http().delete(url).set(bearer(pair)).expect(403);
    const own = `/api/v1/admin/users/${admin.user.id}/passkeys`;
    expect((await t.http().delete(own).set(bearer(admin)).expect(409)).body.code).toBe(
      'own_account',
    );
    await t.http().delete(url).set(bearer(admin)).expect(204);
    expect(await passkeysOf(pair.user.id)).toBe(0);
    await t.settle();
    expect(t.mail.to('lost@example.com').at(-1)?.text).toMatch(/administrator removed a passkey/);
    expect(await auditEntries(t, 'auth.passkey.removed')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: admin.user.id, targetId: pair.user.id }),
      ]),
    );
    expect((await verify(await get(d, await signInOptions())).expect(401)).body.code).toBe(
      'passkey_unknown',
    );
    await t
      .http()
      .get(`/api/v1/admin/users/${new Types.ObjectId().toHexString()}/passkeys`)
      .set(bearer(admin))
      .expect(404);
    await d.page.close();
  });

  describe('refusals, each a 4xx with nothing stored', () => {
    it("refuses a registration with another user's challenge", async () => {
      const ada = await account('ada.lovelace@example.com');
      const bob = await account('bob@example.com');
      const d = await device();
      const credential = await create(d, await registrationOptions(bob));
      expect((await register(ada, credential).expect(400)).body.code).toBe(
        'passkey_challenge_invalid',
      );
      expect(await passkeysOf(ada.user.id)).toBe(0);
      await d.page.close();
    });

    it('refuses a replayed sign-in', async () => {
      const pair = await account('replay@example.com');
      const d = await device();
      await addPasskey(pair, d);
      const assertion = await get(d, await signInOptions());
      await verify(assertion).expect(200);
      const before = await sessionsOf(pair.user.id);
      expect((await verify(assertion).expect(400)).body.code).toBe('passkey_challenge_invalid');
      expect(await sessionsOf(pair.user.id)).toBe(before);
      await d.page.close();
    });

    it('refuses a ceremony at another origin', async () => {
      const pair = await account('origin@example.com');
      const home = await device();
      await addPasskey(pair, home);
      const elsewhere = await device(FOREIGN_ORIGIN);
      const credential = await create(elsewhere, await registrationOptions(pair));
      expect((await register(pair, credential).expect(401)).body.code).toBe('passkey_rejected');
      expect(await passkeysOf(pair.user.id)).toBe(1);
      await home.page.close();
      await elsewhere.page.close();
    });

    it('refuses a passkey without user verification', async () => {
      const pair = await account('uv@example.com');
      const d = await device(ORIGIN, false);
      const options = await registrationOptions(pair);
      // A client that asks the authenticator for less than the server required.
      const weakened = {
        ...options,
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'discouraged' },
      };
      const credential = await create(d, weakened);
      expect((await register(pair, credential).expect(401)).body.code).toBe('passkey_rejected');
      expect(await passkeysOf(pair.user.id)).toBe(0);
      await d.page.close();
    });

    it('refuses and audits a signature counter that went back (a cloned authenticator)', async () => {
      const pair = await account('clone@example.com');
      const d = await device();
      await addPasskey(pair, d);
      await verify(await get(d, await signInOptions())).expect(200);
      const passkeys = t.db.collection('passkeys');
      const id = new Types.ObjectId(pair.user.id);
      await passkeys.updateOne({ userId: id }, { $set: { counter: 1_000_000 } });
      const before = await sessionsOf(pair.user.id);
      const refused = await verify(await get(d, await signInOptions())).expect(401);
      expect(refused.body.code).toBe('passkey_cloned');
      expect(await sessionsOf(pair.user.id)).toBe(before);
      expect((await passkeys.findOne({ userId: id }))?.counter).toBe(1_000_000);
      expect(await auditEntries(t, 'auth.passkey.cloned')).toHaveLength(1);
      await d.page.close();
    });

    it('refuses an unknown credential and a challenge that was never issued', async () => {
      const d = await device();
      const pair = await account('unknown@example.com');
      await addPasskey(pair, d);
      const assertion = await get(d, await signInOptions());
      await t.db.collection('passkeys').deleteMany({});
      expect((await verify(assertion).expect(401)).body.code).toBe('passkey_unknown');
      const forged = await get(d, { challenge: 'bm90LWlzc3VlZA', rpId: 'localhost' });
      expect((await verify(forged).expect(400)).body.code).toBe('passkey_challenge_invalid');
      await verify({ id: 'x' }).expect(400); // not a credential at all
      await d.page.close();
    });
  });
});
