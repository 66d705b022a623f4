import {
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import mongoose, { Connection } from 'mongoose';
import { redactUrlPassword } from '../common/redact-url';
import { appConfig, AppConfig, databaseConfig, DatabaseConfig } from '../config/configuration';
import { DEV_DATA_DIR, DevDatabase, startDevDatabase } from './dev-database';

const SERVER_SELECTION_TIMEOUT_MS = 5000;

// Mongoose records a stack trace at every query's execution, only to name where a query object
// was first run should it be run twice (which this code base never does): an Error and its
// formatted stack per query, a tenth of a millisecond each on the sign-in path's ten queries.
mongoose.set('skipOriginalStackTraces', true);

/** Owns the embedded development database when MONGO_URI is unset (never in production). */
@Injectable()
export class DatabaseUriProvider implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private devDatabase?: DevDatabase;
  /** The URI the connection was opened with, once `uri()` has answered. */
  resolved?: string;

  constructor(@Inject(databaseConfig.KEY) private readonly config: DatabaseConfig) {}

  async uri(): Promise<string> {
    if (this.config.mongoUri) return (this.resolved = this.config.mongoUri);
    // A launcher failure (e.g. another instance holds .data/) is already one readable line.
    this.devDatabase = await startDevDatabase({
      prefer: this.config.devDb,
      dataDir: DEV_DATA_DIR,
      log: (line) => this.logger.log(line),
    });
    return (this.resolved = `${this.devDatabase.uri}/user-management`);
  }

  /** Names the server in a start-up error: MONGO_URI (without its password), or the development database. */
  describe(uri: string): string {
    return this.config.mongoUri
      ? `MongoDB at MONGO_URI=${redactUrlPassword(uri)}`
      : `the development database (${this.devDatabase?.server} at ${uri})`;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.devDatabase?.stop();
  }
}

@Module({ providers: [DatabaseUriProvider], exports: [DatabaseUriProvider] })
class DatabaseUriModule {}

/**
 * Builds the indexes before the app takes traffic: autoIndex (awaited) in development and tests,
 * an explicit `syncIndexes` in production (autoIndex is off there). On module init, so it is done
 * before any onApplicationBootstrap hook (the admin bootstrap) queries: Nest does not order hooks
 * between unrelated modules (12 runs UsersModule's before ours), and a query racing an index
 * build can fail on mongo-java-server.
 */
@Injectable()
class IndexBuilder implements OnModuleInit {
  private readonly logger = new Logger('Database');
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly uris: DatabaseUriProvider,
  ) {}

  async onModuleInit(): Promise<void> {
    const models = Object.values(this.connection.models);
    if (this.app.production) {
      // On a connection of its own, without the per-operation deadline: building a new index on
      // a large collection may take minutes, and a deadline would abort it at every start.
      const indexing = await mongoose
        .createConnection(this.uris.resolved!, {
          autoIndex: false,
          serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
        })
        .asPromise();
      try {
        for (const model of models)
          await indexing
            .model(model.modelName, model.schema, model.collection.collectionName)
            .syncIndexes();
      } finally {
        await indexing.close();
      }
      this.logger.log(`indexes synced for ${models.length} collections`);
    } else {
      await Promise.all(models.map((model) => model.init()));
    }
  }
}

@Module({
  imports: [
    MongooseModule.forRootAsync({
      imports: [DatabaseUriModule],
      inject: [DatabaseUriProvider, appConfig.KEY, databaseConfig.KEY],
      useFactory: async (uris: DatabaseUriProvider, app: AppConfig, database: DatabaseConfig) => {
        const uri = await uris.uri();
        return {
          uri,
          autoIndex: !app.production,
          serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
          // Every operation's deadline (MONGO_OPERATION_TIMEOUT, 5 s; the driver's client-side
          // operation timeout: server selection, connection checkout and the answer together). A
          // stalled server (a GC pause, a stalled disk, an election) would otherwise hold a request
          // for the 30 s of the connect timeout and more; with it the request answers 503
          // `dependency_down` within seconds, well under the refresh grace.
          timeoutMS: database.operationTimeoutMs,
          // Fail fast, in one line: Nest's default is 9 more tries 3 s apart (about 70 s of
          // silence). Whatever supervises us (compose's restart policy, an orchestrator) retries.
          retryAttempts: 0,
          connectionErrorFactory: (error: Error) =>
            new Error(
              `${uris.describe(uri)} did not answer within ${SERVER_SELECTION_TIMEOUT_MS / 1000} s: ${error.message}`,
            ),
        };
      },
    }),
    DatabaseUriModule,
  ],
  providers: [IndexBuilder],
})
export class DatabaseModule {}
