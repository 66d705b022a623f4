import { Injectable } from '@nestjs/common';
import type { TemplateDelegate } from 'handlebars';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onFirstUse } from '../common/lazy/on-first-use';

/**
 * Handlebars (~45 modules) loads with the first mail, not at start; shared from then on. Its
 * CommonJS exports are not visible to Node's import() as named ones: they are its `default`.
 */
const handlebars = onFirstUse(() => import('handlebars').then((module) => module.default));

/**
 * Renders the HTML part of a mail from `templates/<name>.hbs` (compiled once, strict: a value the
 * template names but the mail lacks is an error, not an empty string).
 *
 * We render here rather than through the mailer's Handlebars adapter: for a missing template
 * the adapter calls nodemailer's callback with the error and then throws a TypeError of its own,
 * so `sendMail` rejects with the TypeError while nodemailer's promise, rejected with the real
 * error, is left unhandled (and Node stops the process on an unhandled rejection). Rendering
 * before `sendMail` keeps every failure inside MailService's try/catch.
 */
@Injectable()
export class MailTemplates {
  private readonly dir = join(__dirname, 'templates');
  private readonly compiled = new Map<string, TemplateDelegate>();

  async render(name: string, context: Record<string, unknown>): Promise<string> {
    return (await this.template(name))(context);
  }

  private async template(name: string): Promise<TemplateDelegate> {
    if (!/^[a-z0-9-]+$/.test(name))
      throw new Error(`mail template name "${name}" is not a plain name`);
    let template = this.compiled.get(name);
    if (!template) {
      const { compile } = await handlebars();
      template = compile(await readFile(join(this.dir, `${name}.hbs`), 'utf8'), { strict: true });
      this.compiled.set(name, template);
    }
    return template;
  }
}
