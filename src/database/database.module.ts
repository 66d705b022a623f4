import { Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { appConfig, AppConfig, databaseConfig, DatabaseConfig } from '../config/configuration';
import { DEV_DATA_DIR, DevDatabase, startDevDatabase } from './dev-database';

/** Owns the embedded development database when MONGO_URI is unset (never in production). */
@Injectable()
export class DatabaseUriProvider implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private devDatabase?: DevDatabase;

  constructor(@Inject(databaseConfig.KEY) private readonly config: DatabaseConfig) {}

  async uri(): Promise<string> {
    if (this.config.mongoUri) return this.config.mongoUri;
    this.devDatabase = await startDevDatabase({
      prefer: this.config.devDb,
      dataDir: DEV_DATA_DIR,
      log: (line) => this.logger.log(line),
    });
    return `${this.devDatabase.uri}/user-management`;
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
  ) {}

  async onModuleInit(): Promise<void> {
    const models = Object.values(this.connection.models);
    if (this.app.production) {
      for (const model of models) await model.syncIndexes();
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
      inject: [DatabaseUriProvider, appConfig.KEY],
      useFactory: async (uris: DatabaseUriProvider, app: AppConfig) => ({
        uri: await uris.uri(),
        autoIndex: !app.production,
        serverSelectionTimeoutMS: 5000,
      }),
    }),
  ],
  providers: [IndexBuilder],
})
export class DatabaseModule {}
