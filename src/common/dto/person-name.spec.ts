import { isPersonName, PERSON_NAME_PATTERN, trimSpaces } from './person-name';

describe(isPersonName.name, () => {
  it.each([
    ['plain ASCII', 'Ada'],
    ['accents', 'Zoë Ångström-Núñez'],
    ['an apostrophe and a hyphen', "O'Brien-Smith"],
    ['a decomposed accent (combining mark)', 'Jose\u0301'],
    ['CJK', '山田太郎'],
    ['Arabic', 'محمد'],
    ['Hebrew', 'אבירם'],
    ['Devanagari with a virama and a ZWJ', 'क्\u200dष'],
    ['Persian with a ZWNJ', 'می\u200cخواهم'],
    ['an emoji ZWJ sequence', 'Ada 👩\u200d💻'],
    ['Korean', '김민준'],
    ['inner spaces', 'Mary Ann'],
    ['a non-BMP letter (a valid surrogate pair)', '𠜎𠜱'],
  ])('accepts %s', (_what, name) => {
    expect(isPersonName(name)).toBe(true);
    expect(new RegExp(PERSON_NAME_PATTERN, 'u').test(name)).toBe(true);
  });

  it.each([
    ['NUL', 'Ada\u0000'],
    ['BEL', 'A\u0007da'],
    ['a tab', 'Ada\tL'],
    ['a newline', 'Ada\nLovelace'],
    ['DEL', 'Ada\u007f'],
    ['a C1 control', 'Ada\u0085'],
    ['a line separator', 'Ada\u2028'],
    ['a paragraph separator', 'Ada\u2029'],
    ['a right-to-left override', 'Ada\u202egpj.exe'],
    ['a left-to-right embedding', '\u202aAda'],
    ['a pop directional formatting', 'Ada\u202c'],
    ['a left-to-right isolate', '\u2066Ada'],
    ['a first strong isolate', 'Ada\u2068'],
    ['a pop directional isolate', 'Ada\u2069'],
    ['a right-to-left mark', 'Ada\u200f'],
    ['an Arabic letter mark', 'Ada\u061c'],
    ['a lone high surrogate', 'Ada\ud800'],
    ['a lone low surrogate', '\udc00Ada'],
    ['a zero-width space only', '\u200b'],
    ['a zero-width joiner only', '\u200d\u200d'],
    ['a zero-width non-joiner only', '\u200c'],
    ['a word joiner only', '\u2060'],
    ['a BOM only', '\ufeff'],
    ['zero-width characters and spaces only', ' \u200b \u2060 '],
    ['spaces only', '   '],
    ['a combining mark only', '\u0301'],
    ['a Hangul filler only', '\u3164'],
    ['the braille blank only', '\u2800'],
  ])('refuses %s', (_what, name) => {
    expect(isPersonName(name)).toBe(false);
  });

  it('trims spaces only, leaving invisible characters for the rule to refuse', () => {
    expect(trimSpaces('\u00a0 Ada \u3000')).toBe('Ada');
    expect(trimSpaces('\ufeff')).toBe('\ufeff');
    expect(trimSpaces('Ada\n')).toBe('Ada\n');
  });
});
