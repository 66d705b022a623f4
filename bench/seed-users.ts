/**
 * Seeds N users (default 100,000) straight through the driver, shaped as the app stores them:
 * lower-cased email and username, names with their search keys, roles and statuses mixed,
 * creation times spread over a year. Used by admin.bench.ts; runnable on its own against any
 * MongoDB: `MONGO_URI=... node dist-bench/bench/seed-users.js 100000`.
 */
import { mongo } from 'mongoose';
import { nameKeys } from '../src/users/users.service';

const FIRST = [
  'ada',
  'grace',
  'alan',
  'barbara',
  'edsger',
  'donald',
  'frances',
  'ken',
  'margaret',
  'linus',
];
const LAST = [
  'lovelace',
  'hopper',
  'turing',
  'liskov',
  'dijkstra',
  'knuth',
  'allen',
  'thompson',
  'hamilton',
  'torvalds',
];
const BATCH = 5_000;

export async function seedUsers(db: mongo.Db, count: number, passwordHash: string): Promise<void> {
  const users = db.collection('users');
  const yearAgo = Date.now() - 365 * 86_400_000;
  for (let start = 0; start < count; start += BATCH) {
    const docs = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const firstName = FIRST[i % FIRST.length].replace(/^./, (c) => c.toUpperCase());
      const lastName = LAST[Math.floor(i / FIRST.length) % LAST.length].replace(/^./, (c) =>
        c.toUpperCase(),
      );
      const createdAt = new Date(yearAgo + Math.floor((i / count) * 365 * 86_400_000));
      docs.push({
        email: `seed-${i}@example.com`,
        username: `seed_${i}`,
        firstName,
        lastName,
        nameKeys: nameKeys({ firstName, lastName }),
        role: i % 50 === 0 ? 'admin' : 'user',
        status: i % 20 === 0 ? 'disabled' : i % 7 === 0 ? 'pending' : 'active',
        passwordHash,
        twoFactorEnabled: false,
        emailVerifiedAt: createdAt,
        createdAt,
        updatedAt: createdAt,
      });
    }
    await users.insertMany(docs, { ordered: false });
  }
}

async function main(): Promise<void> {
  const uri = process.env.MONGO_URI;
  if (!uri) throw new Error('set MONGO_URI');
  const count = Number(process.argv[2] ?? 100_000);
  const client = await mongo.MongoClient.connect(uri);
  const started = Date.now();
  await seedUsers(client.db(), count, 'bcrypt$unusable');
  console.log(`seeded ${count} users in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await client.close();
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
