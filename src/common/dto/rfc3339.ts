import { ValidateBy } from 'class-validator';

/**
 * RFC 3339 `date-time` (section 5.6): `T` and `Z` in either case (the RFC says so), any number of
 * fraction digits, an offset `Z` or `±hh:mm`. Years 0000–9999, as the grammar allows; `Date.parse`
 * refuses some of these (lower case, a leap second) and reads years 00–99 as 1900–1999 elsewhere.
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The instant an RFC 3339 date-time names, or `undefined` if it is not one. A leap second
 * (`23:59:60`) is valid text but a `Date` cannot hold it: it counts as the last millisecond of
 * the second before. Fractions finer than a millisecond are cut.
 */
export function parseRfc3339(text: string): Date | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const [, , , , , , , fraction, sign, offsetHour, offsetMinute] = match;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (month < 1 || month > 12 || day < 1 || day > monthDays) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  if (sign && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) return undefined;
  const offset = sign
    ? (sign === '-' ? -1 : 1) * (Number(offsetHour) * 60 + Number(offsetMinute))
    : 0;
  const ms = second === 60 ? 999 : Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offset, Math.min(second, 59), ms);
  return date;
}

/** A string that is an RFC 3339 date-time (see `parseRfc3339`). */
export const IsRfc3339DateTime = () =>
  ValidateBy({
    name: 'isRfc3339DateTime',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseRfc3339(value) !== undefined,
      defaultMessage: () => 'must be an RFC 3339 date-time such as 2026-01-31T09:30:00Z',
    },
  });
