/**
 * The raw ceilings the bench compares the app with, as a process of its own (started by
 * perf.bench.ts on the same core as the app): a plain Fastify route that verifies the same JWT
 * (ES256, the public key by `kid` from the app's stored key set, a token verified once remembered
 * as the app does) and reads the same user with the native driver, and the bare password-hash checks the login pays
 * (argon2id twice: on libuv's four threads, and one hash per core at a time as the app runs it).
 */
import * as argon2 from 'argon2';
import * as bcrypt from 'bcrypt';
import Fastify from 'fastify';
import { decode, verify } from 'jsonwebtoken';
import { mongo } from 'mongoose';
import { createHmac, createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { VerifiedTokens } from '../src/auth/tokens/verified-tokens';
import { HashSlots } from '../src/users/hash-slots';

async function main(): Promise<void> {
  const client = await mongo.MongoClient.connect(process.env.MONGO_URI!);
  const users = client.db().collection('users');
  const keys = new Map<string, KeyObject>();
  for (const doc of await client.db().collection('signing_keys').find().toArray())
    keys.set(
      doc.kid as string,
      createPublicKey({ key: doc.publicJwk as JsonWebKey, format: 'jwk' }),
    );
  const verified = new VerifiedTokens<{ sub: string }>(10_000);
  const input = createHmac('sha256', 'pepper')
    .update('bench password long enough')
    .digest('base64');
  const bcryptHash = await bcrypt.hash(input, 11);
  const argonHash = await argon2.hash(input, {
    type: argon2.argon2id,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  });

  const app = Fastify();
  app.get('/ready', async () => ({ ok: true }));
  app.get('/me', async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    let claims = verified.get(token)?.claims;
    if (!claims) {
      const kid = decode(token, { complete: true })?.header.kid ?? '';
      claims = verify(token, keys.get(kid)!, { algorithms: ['ES256'] }) as { sub: string };
      verified.set(token, kid, claims);
    }
    const user = await users.findOne(
      { _id: new mongo.ObjectId(claims.sub) },
      { projection: { passwordHash: 0 } },
    );
    if (!user) return reply.code(401).send();
    return { id: String(user._id), email: user.email, role: user.role, status: user.status };
  });
  app.post('/hash/bcrypt', async () => ({ ok: await bcrypt.compare(input, bcryptHash) }));
  app.post('/hash/argon2id', async () => ({ ok: await argon2.verify(argonHash, input) }));
  // The app's own policy (PasswordHasher): one argon2id hash per core at a time.
  const slots = new HashSlots();
  app.post('/hash/argon2id-slots', async () => ({
    ok: await slots.run(() => argon2.verify(argonHash, input)),
  }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.on(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => client.close())
        .then(() => process.exit(0)),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
