/**
 * The raw ceilings the bench compares the app with, as a process of its own (started by
 * perf.bench.ts on the same core as the app): a plain Fastify route that verifies the same JWT and
 * reads the same user with the native driver, and the bare password-hash checks the login pays
 * (argon2id twice: on libuv's four threads, and one hash per core at a time as the app runs it).
 */
import * as argon2 from 'argon2';
import * as bcrypt from 'bcrypt';
import Fastify from 'fastify';
import { verify } from 'jsonwebtoken';
import { mongo } from 'mongoose';
import { createHmac, createSecretKey } from 'node:crypto';
import { HashSlots } from '../src/users/hash-slots';

async function main(): Promise<void> {
  const client = await mongo.MongoClient.connect(process.env.MONGO_URI!);
  const users = client.db().collection('users');
  const key = createSecretKey(Buffer.from(process.env.JWT_ACCESS_SECRET!, 'utf8'));
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
    const claims = verify(token, key, { algorithms: ['HS256'] }) as { sub: string };
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
