import type { ISendMailOptions, MailerOptions, MailerService } from '@nestjs-modules/mailer';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { LazyModuleLoader } from '@nestjs/core';
import { onFirstUse } from '../common/lazy/on-first-use';
import { mailConfig, MailConfig } from '../config/configuration';

/** Transport only: MailTemplates renders the HTML (see there why not the mailer's adapter). */
function mailerOptions(config: MailConfig): MailerOptions {
  return {
    // MailService sends through the mailer only with SMTP_URL set (otherwise it logs the mail).
    transport: config.smtpUrl ?? { jsonTransport: true },
    defaults: { from: config.from } as MailerOptions['defaults'],
  };
}

/**
 * The mailer (@nestjs-modules/mailer's MailerModule, nodemailer's SMTP transport: ~50 modules a
 * start does not need), loaded with Nest's lazy module loading on the first mail sent and shared
 * afterwards; an instance without SMTP_URL never loads it. A load that fails rejects that send,
 * which MailService logs and counts like any failed send, and the next mail tries again.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly mailer = onFirstUse(() => this.loadMailer());
  /** The mailer once loaded: what shutdown closes. */
  private loaded?: MailerService;

  constructor(private readonly modules: LazyModuleLoader) {}

  async sendMail(options: ISendMailOptions): Promise<void> {
    await (await this.mailer()).sendMail(options);
  }

  /**
   * Nest calls the shutdown hooks of the modules it had at start only: the mailer's own (which
   * closes its transport, a pool's open connections with it) is called from here. Sends in
   * flight have finished by then (the shutdown drains background work first).
   */
  async onModuleDestroy(): Promise<void> {
    await this.loaded?.onModuleDestroy();
  }

  private async loadMailer(): Promise<MailerService> {
    const { MailerModule, MailerService } = await import('@nestjs-modules/mailer');
    const moduleRef = await this.modules.load(() =>
      MailerModule.forRootAsync({
        // Required only by the mailer's typings on NestJS 12: they take ModuleMetadata from
        // '@nestjs/common/interfaces', which Nest 12 no longer exports (cf. nestjs/throttler#2671).
        imports: [],
        inject: [mailConfig.KEY],
        useFactory: mailerOptions,
      }),
    );
    this.loaded = moduleRef.get(MailerService, { strict: false });
    return this.loaded;
  }
}
