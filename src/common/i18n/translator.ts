import { Injectable } from '@nestjs/common';
import { I18nService } from 'nestjs-i18n';
import type { Problem } from '../errors/problem';
import { DEFAULT_LOCALE, Locale } from './locales';

type Args = Record<string, string | number>;

interface Template {
  key: string;
  pattern: RegExp;
  names: string[];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Mails and problem details in the user's language, over nestjs-i18n's catalogues
 * (`src/i18n/<lang>/*.json`, English the fallback).
 *
 * Problem details are written in English where they are thrown (the domain's own words, as the
 * tests and logs read them) and translated on the way out: each English sentence of
 * `errors.json` is also a pattern (`{what} was not found.`), so a detail is matched to its key,
 * its values picked out (themselves translated when they are catalogue phrases, such as "The
 * user"), and the same key rendered in the target language. A detail no pattern knows becomes
 * the generic sentence of its status there, never a half-English answer. `code` never changes.
 */
@Injectable()
export class Translator {
  private templates?: Template[];
  private things?: Map<string, string>;
  /** One formatter per language: building an Intl.DateTimeFormat costs more than a mail's rendering. */
  private readonly dateFormats = new Map<Locale, Intl.DateTimeFormat>();

  constructor(private readonly i18n: I18nService) {}

  t(lang: Locale, key: string, args?: Args): string {
    return String(this.i18n.translate(key, { lang, args }));
  }

  /** A date and time as people of `lang` write it, in UTC (mails). */
  date(lang: Locale, at: Date): string {
    let format = this.dateFormats.get(lang);
    if (!format) {
      format = new Intl.DateTimeFormat(lang, {
        dateStyle: 'long',
        timeStyle: 'long',
        timeZone: 'UTC',
      });
      this.dateFormats.set(lang, format);
    }
    return format.format(at);
  }

  /** The problem with `title` and `detail` in `lang`; English is the source and stays as is. */
  problem(problem: Problem, lang: Locale): Problem {
    if (lang === DEFAULT_LOCALE) return problem;
    const title = this.has(`titles.${problem.status}`)
      ? this.t(lang, `titles.${problem.status}`)
      : this.t(lang, 'titles.error');
    return { ...problem, title, detail: this.detail(problem.detail, problem.status, lang) };
  }

  private detail(english: string, status: number, lang: Locale): string {
    for (const template of this.catalogue()) {
      const match = template.pattern.exec(english);
      if (!match) continue;
      const args: Args = {};
      template.names.forEach((name, i) => {
        const value = match[i + 1];
        const thing = this.things!.get(value);
        args[name] = thing ? this.t(lang, `errors.things.${thing}`) : value;
      });
      return this.t(lang, `errors.${template.key}`, args);
    }
    const generic = `errors.generic.${status}`;
    return this.has(generic)
      ? this.t(lang, generic)
      : this.t(lang, `errors.generic.${status >= 500 ? 500 : 400}`);
  }

  private has(key: string): boolean {
    const value = key
      .split('.')
      .reduce<unknown>(
        (node, part) => (node as Record<string, unknown> | undefined)?.[part],
        this.i18n.getTranslations()[DEFAULT_LOCALE],
      );
    return typeof value === 'string';
  }

  /** The English sentences of `errors.json` as patterns, built once the catalogues are loaded. */
  private catalogue(): Template[] {
    if (this.templates) return this.templates;
    const english = this.i18n.getTranslations()[DEFAULT_LOCALE] as Record<string, unknown>;
    const errors = english?.errors as Record<string, unknown> | undefined;
    if (!errors) return [];
    const templates: Template[] = [];
    for (const [key, english] of Object.entries(errors)) {
      if (typeof english !== 'string') continue;
      const names: string[] = [];
      const source = escapeRegex(english).replace(/\\\{(\w+)\\\}/g, (_, name: string) => {
        names.push(name);
        return '(.+?)';
      });
      templates.push({ key, pattern: new RegExp(`^${source}$`, 's'), names });
    }
    const things = (errors.things ?? {}) as Record<string, string>;
    this.things = new Map(Object.entries(things).map(([key, phrase]) => [phrase, key]));
    this.templates = templates;
    return templates;
  }
}
