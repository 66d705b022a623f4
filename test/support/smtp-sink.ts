import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** A real SMTP server on loopback that keeps every message it receives, for tests to read. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          const to = [mail.to]
            .flat()
            .flatMap((a) => a?.value.map((v) => (v.address ?? '').toLowerCase()) ?? []);
          this.messages.push({
            to,
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          });
          callback();
        })
        .catch(callback);
    },
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject); // a listen that fails fails the spec, not hangs it
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    // Once listening: a sender killed mid-transaction (the multi-process specs SIGKILL an instance
    // while its notices are in flight) resets its connection, which smtp-server reports as an
    // 'error' event that unheard would end the test file. The message is dropped, as a real
    // server drops it.
    this.server.on('error', () => undefined);
    return (this.server.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits for the next mail to `address` matching `subject` that arrived after `after` mails. */
  async waitFor(
    address: string,
    subject: RegExp,
    options: { after?: number; timeoutMs?: number } = {},
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    for (;;) {
      const found = this.to(address)
        .slice(options.after ?? 0)
        .find((m) => subject.test(m.subject));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no mail to ${address} matching ${subject} (got: ${
            this.to(address)
              .map((m) => m.subject)
              .join(', ') || 'none'
          })`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The 6-digit code in the latest matching mail. */
  async code(address: string, subject: RegExp, after?: number): Promise<string> {
    const mail = await this.waitFor(address, subject, { after });
    const match = /\b(\d{6})\b/.exec(mail.text);
    if (!match) throw new Error(`no code in mail "${mail.subject}"`);
    return match[1];
  }
}
