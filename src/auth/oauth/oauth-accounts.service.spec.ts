import { createUnitModule, UnitModule } from '../../../test/support/unit-db';
import { User, UserSchema } from '../../users/user.schema';
import { UsersService } from '../../users/users.service';
import { IdentitiesService } from './identities.service';
import { OAuthIdentity, OAuthIdentitySchema } from './identity.schema';
import { OAuthAccounts } from './oauth-accounts.service';
import { ProviderRegistry } from './providers/provider-registry';

describe(OAuthAccounts.name, () => {
  let unit: UnitModule;
  let accounts: OAuthAccounts;
  let users: UsersService;
  const linked: string[] = [];

  beforeAll(async () => {
    unit = await createUnitModule({
      models: [
        { name: User.name, schema: UserSchema },
        { name: OAuthIdentity.name, schema: OAuthIdentitySchema },
      ],
      providers: [
        UsersService,
        IdentitiesService,
        OAuthAccounts,
        { provide: ProviderRegistry, useValue: { displayName: (name: string) => name } },
      ],
    });
    accounts = unit.moduleRef.get(OAuthAccounts);
    users = unit.moduleRef.get(UsersService);
    unit.events.on('domain.auth.identity.linked', (e: { targetId: string; notify?: unknown }) =>
      linked.push(`${e.targetId}:${e.notify ? 'mailed' : 'silent'}`),
    );
  });
  afterAll(() => unit.close());

  const origin = { ip: '127.0.0.1' };
  const local = (email: string, status: 'active' | 'disabled' | 'pending' = 'active') =>
    users.create({ email, passwordHash: 'hs256-bcrypt$x', status, role: 'user' });
  const profile = (subject: string, email?: string, emailVerified = true) => ({
    subject,
    email,
    emailVerified,
  });

  it('links an existing account only for a verified email, and mails its owner', async () => {
    const ada = await local('ada@example.com');
    expect(
      await accounts.signIn('acme', profile('s-ada', 'ada@example.com', false), origin),
    ).toMatchObject({
      error: 'account_exists_sign_in_to_link',
    });
    expect(
      await accounts.signIn('acme', profile('s-ada', 'ada@example.com'), origin),
    ).toMatchObject({
      userId: ada.id,
      identityId: expect.any(String),
    });
    expect(linked).toContain(`${ada.id}:mailed`);
  });

  it('signs a linked identity in to its user, whatever email it now claims', async () => {
    const bob = await local('bob@example.com');
    await accounts.link(bob.id, 'acme', profile('s-bob'), origin);
    const outcome = await accounts.signIn(
      'acme',
      profile('s-bob', 'ada@example.com', false),
      origin,
    );
    expect(outcome).toEqual({ purpose: 'sign_in', provider: 'acme', userId: bob.id });
  });

  it('creates a password-less active account only for a verified email', async () => {
    expect(
      await accounts.signIn('acme', profile('s-new', 'new@example.com', false), origin),
    ).toMatchObject({
      error: 'oauth_email_not_verified',
    });
    expect(await accounts.signIn('acme', profile('s-none'), origin)).toMatchObject({
      error: 'oauth_email_not_verified',
    });
    const created = await accounts.signIn(
      'acme',
      profile('s-new', 'new@example.com'),
      origin,
      'es',
    );
    const user = (await users.findById(created.userId!))!;
    expect(user).toMatchObject({ status: 'active', emailVerified: true, locale: 'es' });
    expect(await users.hasPassword(user.id)).toBe(false);
    expect(linked).toContain(`${user.id}:silent`);
  });

  it('takes over a pending sign-up (its password goes) and refuses a disabled account', async () => {
    const pending = await local('pending@example.com', 'pending');
    const outcome = await accounts.signIn(
      'acme',
      profile('s-pending', 'pending@example.com'),
      origin,
    );
    expect(outcome.userId).toBe(pending.id);
    expect(await users.hasPassword(pending.id)).toBe(false);
    await local('off@example.com', 'disabled');
    expect(
      await accounts.signIn('acme', profile('s-off', 'off@example.com'), origin),
    ).toMatchObject({
      error: 'account_disabled',
    });
  });

  it("refuses to link someone else's provider account", async () => {
    const carol = await local('carol@example.com');
    const dan = await local('dan@example.com');
    await accounts.link(carol.id, 'acme', profile('s-carol'), origin);
    expect(await accounts.link(dan.id, 'acme', profile('s-carol'), origin)).toMatchObject({
      error: 'identity_linked_elsewhere',
    });
    expect(await accounts.link(carol.id, 'acme', profile('s-carol'), origin)).toMatchObject({
      userId: carol.id,
    });
  });
});
