import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { adminConfig, AdminConfig } from '../config/configuration';
import { DomainException } from '../common/errors/domain.exception';
import { Clock } from '../common/time/clock';
import { PasswordHasher } from './password-hasher';
import { UsersService } from './users.service';

/**
 * ADMIN_EMAIL + ADMIN_PASSWORD: creates that admin (active, verified) when no user has the email.
 * Idempotent, and never touches an existing user (not even its password: a password changed in
 * the console must not be undone by the next restart), but says so, since an operator who edits
 * ADMIN_PASSWORD expects it to apply. The configuration holds ADMIN_PASSWORD to the password rules.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    @Inject(adminConfig.KEY) private readonly config: AdminConfig,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { email, password } = this.config;
    if (!email || !password) return;
    if (await this.users.findByEmail(email)) {
      this.logger.log(
        `the account ${email} (ADMIN_EMAIL) exists: its password was left as it is (ADMIN_PASSWORD only sets the password of the admin it creates)`,
      );
      return;
    }
    try {
      await this.users.create({
        email,
        passwordHash: await this.hasher.hash(password),
        role: 'admin',
        status: 'active',
        emailVerifiedAt: this.clock.now(),
      });
      this.logger.log(`created the admin account ${email}`);
    } catch (error) {
      // Another instance won the race: the account exists, which is all we wanted.
      if (!(error instanceof DomainException && error.code === 'email_taken')) throw error;
    }
  }
}
