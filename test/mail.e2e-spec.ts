import { Mail, MailService } from '../src/mail/mail.service';
import { PASSWORD } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

const mail = (template: string): Mail => ({
  to: 'someone@example.com',
  subject: 'Your verification code',
  template,
  text: 'Use this code:\n\n123456',
  context: {
    intro: 'Use this code:',
    code: '123456',
    expires: 'The code expires in 5 minutes.',
    lang: 'en',
  },
});

/** Collects the process's unhandled rejections while `run` goes on, and a little after. */
async function unhandledRejectionsDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

/** Failed-send lines logged after the first `from` lines (every app of this file shares one sink). */
const failuresLogged = (t: TestApp, from = 0) =>
  t.logs.lines
    .slice(from)
    .map((l) => JSON.parse(l))
    .filter((l) => l.msg === 'mail delivery failed');

describe(MailService.name, () => {
  describe('with an SMTP server', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp()));
    afterAll(() => t.close());

    it('renders the template into the HTML part and counts the mail as sent', async () => {
      const service = t.app.get(MailService);
      await service.deliver(mail('code'));
      const received = await t.mail.waitFor('someone@example.com', /verification code/);
      expect(received.html).toContain('123456');
      expect(received.text).toContain('123456');
      expect(service.stats()).toEqual({ sent: 1, failed: 0 });
    });

    it('logs and counts a missing template, and nothing escapes as an unhandled rejection', async () => {
      const service = t.app.get(MailService);
      const before = service.stats().failed;
      const escaped = await unhandledRejectionsDuring(async () => {
        await expect(service.deliver(mail('no-such-template'))).resolves.toBeUndefined();
        service.send(mail('no-such-template'));
        while (service.stats().failed < before + 2) await new Promise((r) => setTimeout(r, 10));
      });
      expect(escaped).toEqual([]);
      expect(service.stats().failed).toBe(before + 2);
      expect(failuresLogged(t).at(-1)).toMatchObject({ level: 50, template: 'no-such-template' });
    });

    it('logs and counts a template that needs a value the mail lacks', async () => {
      const service = t.app.get(MailService);
      const before = service.stats().failed;
      await service.deliver({ ...mail('code'), context: {} });
      expect(service.stats().failed).toBe(before + 1);
    });
  });

  describe('with an SMTP server that does not answer', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp({ SMTP_URL: 'smtp://127.0.0.1:1' })));
    afterAll(() => t.close());

    it('logs and counts the failed send', async () => {
      const service = t.app.get(MailService);
      const mark = t.logs.lines.length;
      const escaped = await unhandledRejectionsDuring(() => service.deliver(mail('code')));
      expect(escaped).toEqual([]);
      expect(service.stats()).toEqual({ sent: 0, failed: 1 });
      expect(failuresLogged(t, mark)).toHaveLength(1);
    });
  });

  describe('without SMTP_URL (development)', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp({ SMTP_URL: '' })));
    afterAll(() => t.close());

    it('writes the mail to the log as one block, the code in its first line', async () => {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'dev@example.com', password: PASSWORD })
        .expect(201);
      let entry: { msg: string } | undefined;
      for (let i = 0; i < 100 && !entry; i++) {
        entry = t.logs.lines
          .map((l) => JSON.parse(l))
          .find((l) => typeof l.msg === 'string' && l.msg.startsWith('mail to dev@example.com'));
        if (!entry) await new Promise((r) => setTimeout(r, 20));
      }
      const [first, ...body] = entry!.msg.split('\n');
      expect(first).toMatch(/^mail to dev@example\.com: "Your verification code" {2}code \d{6}$/);
      const code = /code (\d{6})$/.exec(first)![1];
      expect(body.join('\n')).toContain(`    ${code}`);
      expect(body.every((line) => line === '' || line.startsWith('    '))).toBe(true);
      expect(t.mail.messages).toEqual([]);
    });
  });
});
