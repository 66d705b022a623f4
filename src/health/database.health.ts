import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Connection } from 'mongoose';

const PING_TIMEOUT_MS = 1000;

/**
 * A real round trip to the database. (Terminus' Mongoose indicator only reads `readyState`,
 * which stays "connected" for seconds after the server is gone.)
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async ping(key: string) {
    const check = this.indicator.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
      });
      await Promise.race([this.connection.db!.admin().ping(), timeout]);
      return check.up();
    } catch {
      return check.down({ message: 'the database did not answer' });
    } finally {
      clearTimeout(timer);
    }
  }
}
