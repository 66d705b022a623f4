import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type Redis from 'ioredis';
import { redisConfig, RedisConfig } from '../config/configuration';
import { CacheInvalidations } from './cache-invalidations';
import { JobLease, JobLeaseSchema } from './job-lease.schema';
import { JobLeases } from './job-leases.service';
import { connectRedis, REDIS } from './redis';

/** Closes the shared Redis connection last, after everything that uses it has stopped. */
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}
  async onApplicationShutdown(): Promise<void> {
    // quit() fails at once while Redis is down; disconnect() then stops the reconnect attempts.
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/**
 * What lets several instances run side by side: the Redis connection (when REDIS_URL is set),
 * cache invalidations broadcast to every instance, and job leases in MongoDB.
 */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: JobLease.name, schema: JobLeaseSchema }])],
  providers: [
    {
      provide: REDIS,
      inject: [redisConfig.KEY],
      useFactory: async (config: RedisConfig): Promise<Redis | null> => {
        if (!config.url) return null;
        const redis = await connectRedis(config.url);
        new Logger('Redis').log('connected: rate limits and cache invalidations are shared');
        return redis;
      },
    },
    RedisCloser,
    CacheInvalidations,
    JobLeases,
  ],
  exports: [REDIS, CacheInvalidations, JobLeases],
})
export class ClusterModule {}
