import { Test } from '@nestjs/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { notFound } from '../errors/domain.exception';
import { toProblem } from '../errors/problem';
import { LanguagesModule } from './languages.module';
import { LOCALES, negotiateLocale } from './locales';
import { Translator } from './translator';

const CATALOGUES = join(__dirname, '..', '..', 'i18n');
const SRC = join(__dirname, '..', '..');

/** Every key of a catalogue file as `file.a.b`, with its text. */
function flatten(node: unknown, prefix: string, into = new Map<string, string>()) {
  if (typeof node === 'string') into.set(prefix, node);
  else
    for (const [key, value] of Object.entries(node as Record<string, unknown>))
      flatten(value, `${prefix}.${key}`, into);
  return into;
}

function catalogue(lang: string): Map<string, string> {
  const all = new Map<string, string>();
  for (const file of readdirSync(join(CATALOGUES, lang)).filter((f) => f.endsWith('.json'))) {
    const json: unknown = JSON.parse(readFileSync(join(CATALOGUES, lang, file), 'utf8'));
    flatten(json, file.replace(/\.json$/, ''), all);
  }
  return all;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every `.ts` file under src, specs excluded. */
function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('Translations', () => {
  const english = catalogue('en');

  it.each(LOCALES.filter((l) => l !== 'en'))(
    'the %s catalogue has every key of the English one, and no other, each with the same placeholders',
    (lang) => {
      const other = catalogue(lang);
      expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of english) {
        expect({ key, text: other.get(key)?.trim() ? 'present' : 'empty' }).toEqual({
          key,
          text: 'present',
        });
        expect({ key, placeholders: placeholders(other.get(key)!) }).toEqual({
          key,
          placeholders: placeholders(text),
        });
      }
    },
  );

  /**
   * A problem's English detail is matched to its catalogue sentence when it is translated: every
   * sentence the code throws (the literal details of DomainException and its helpers) must be in
   * errors.json, or a Spanish reader would get the generic sentence of its status.
   */
  it('knows every problem detail the code can throw', () => {
    const templates = [...english]
      .filter(([key]) => key.startsWith('errors.'))
      .map(([, text]) => {
        const source = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\w+\\\}/g, '.+?');
        return new RegExp(`^${source}$`, 's');
      });
    const calls =
      /(?:new DomainException|new OtpRefusal|conflict|tooManyRequests|invalidInput|notFound)\(([\s\S]{0,400}?)\)[;,\n]/g;
    const unknown: string[] = [];
    let checked = 0;
    for (const file of sources()) {
      const text = readFileSync(file, 'utf8');
      for (const call of text.matchAll(calls)) {
        const literals = [...call[1].matchAll(/'((?:[^'\\\n]|\\.)*)'|`([^`]*)`/g)].map((m) =>
          (m[1] ?? m[2]).replace(/\$\{[^}]*\}/g, 'X').replace(/\\'/g, "'"),
        );
        for (const literal of literals.filter((l) => /^[A-Z].* /.test(l))) {
          checked += 1;
          if (!templates.some((t) => t.test(literal)))
            unknown.push(`${file.slice(SRC.length)}: ${literal}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(unknown).toEqual([]);
  });

  describe(Translator.name, () => {
    let translator: Translator;
    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({ imports: [LanguagesModule] }).compile();
      await moduleRef.init();
      translator = moduleRef.get(Translator);
    });

    const problem = (error: unknown) => toProblem(error, 'req-1').problem;

    it('translates title and detail, keeps the code, and leaves English as it is', () => {
      const english = problem(notFound('The user'));
      expect(translator.problem(english, 'en')).toEqual(english);
      expect(translator.problem(english, 'es')).toEqual({
        ...english,
        title: 'No encontrado',
        detail: 'El usuario no se encontró.',
        code: 'not_found',
      });
    });

    it('answers the generic sentence of the status for a detail it does not know', () => {
      const unknown = { ...problem(notFound('The user')), detail: 'Something new.' };
      expect(translator.problem(unknown, 'es').detail).toBe('No se encontró el recurso.');
    });

    it('formats dates the way each language writes them', () => {
      const at = new Date('2025-05-03T14:05:07Z');
      expect(translator.date('en', at)).toBe('May 3, 2025 at 2:05:07 PM UTC');
      expect(translator.date('es', at)).toBe('3 de mayo de 2025 a las 14:05:07 UTC');
    });
  });

  it('negotiates Accept-Language by preference, regions included', () => {
    expect(negotiateLocale('es-MX,es;q=0.9,en;q=0.8')).toBe('es');
    expect(negotiateLocale('fr-FR, en;q=0.5, es;q=0.7')).toBe('es');
    expect(negotiateLocale('en-GB')).toBe('en');
    expect(negotiateLocale('es;q=0, en;q=0.1')).toBe('en');
    expect(negotiateLocale('fr, *')).toBeUndefined();
    expect(negotiateLocale(undefined)).toBeUndefined();
  });
});
