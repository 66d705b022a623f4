import mongoose, { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { ADMIN_ENV } from '../admin-helpers';
import { SmtpSink } from '../smtp-sink';
import { buildInstance } from './build';
import { AppProcess } from './instances';

/**
 * Two app processes, A and B, compiled from the tree and started together on one fresh database
 * (with the admin account of admin-helpers), as behind a load balancer; `db` reads that database
 * directly. `stop()` ends both, drops the database and removes the build.
 */
export class InstancePair {
  a!: AppProcess;
  b!: AppProcess;
  db!: Connection;
  private build?: ReturnType<typeof buildInstance>;
  private readonly mongoUri: string;

  /** `name` prefixes the database's (random) name. */
  constructor(
    name: string,
    private readonly mail: SmtpSink,
  ) {
    const dbName = `t_${name}_${randomBytes(4).toString('hex')}`;
    this.mongoUri = `${process.env.TEST_MONGO_BASE_URI}/${dbName}`;
  }

  /** `env`: the spec's own variables (SMTP_URL among them), on top of the admin and database. */
  async start(env: Record<string, string>): Promise<void> {
    const all = { ...ADMIN_ENV, MONGO_URI: this.mongoUri, ...env };
    this.build = buildInstance();
    this.a = new AppProcess('A', this.build.main, all, this.mail);
    this.b = new AppProcess('B', this.build.main, all, this.mail);
    // Started together, as a deployment does: the admin bootstrap and index builds race.
    await Promise.all([this.a.start(), this.b.start()]);
    this.db = await mongoose.createConnection(this.mongoUri).asPromise();
  }

  async stop(): Promise<void> {
    await Promise.all([this.a?.stop(), this.b?.stop()]);
    await this.db?.dropDatabase().catch(() => undefined);
    await this.db?.close();
    this.build?.remove();
  }
}
