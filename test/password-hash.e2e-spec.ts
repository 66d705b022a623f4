import { PasswordHasher } from '../src/users/password-hasher';
import { ADMIN, ADMIN_ENV, login } from './support/admin-helpers';
import { createTestApp } from './support/test-app';

describe('PASSWORD_HASH', () => {
  const cheapArgon = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' };
  const storedHash = async (t: Awaited<ReturnType<typeof createTestApp>>) =>
    String((await t.db.collection('users').findOne({ email: ADMIN.email }))?.passwordHash);

  it('argon2id: new hashes use it, and a bcrypt hash is replaced at the next sign-in', async () => {
    const t = await createTestApp({ ...ADMIN_ENV, ...cheapArgon, PASSWORD_HASH: 'argon2id' });
    try {
      expect(await storedHash(t)).toMatch(/^hs256-argon2id\$\$argon2id\$/);
      // A user hashed before the switch (bcrypt), as the database would still hold them.
      const bcryptHasher = new PasswordHasher({
        minLength: 12,
        hash: 'bcrypt',
        bcryptCost: 4,
        argon2MemoryKib: 1024,
        argon2TimeCost: 1,
        pepper: process.env.PASSWORD_PEPPER ?? 'user-management-default-pepper',
      });
      await t.db
        .collection('users')
        .updateOne(
          { email: ADMIN.email },
          { $set: { passwordHash: await bcryptHasher.hash(ADMIN.password) } },
        );
      await login(t, ADMIN.email, ADMIN.password);
      expect(await storedHash(t)).toMatch(/^hs256-argon2id\$/);
      await login(t, ADMIN.email, ADMIN.password); // and it still signs in
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: ADMIN.email, password: 'wrong password here' })
        .expect(401);
    } finally {
      await t.close();
    }
  });
});
