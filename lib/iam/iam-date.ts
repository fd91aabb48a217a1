/**
 * Which values IAM's policy parser takes in a `Date*` condition (DateEquals, DateLessThan, …).
 *
 * IAM's documentation (IAM User Guide, "IAM JSON policy elements: Condition operators", section
 * "Date condition operators") asks for "one of the W3C implementations of the ISO 8601 date
 * formats" or epoch (UNIX) time. What IAM's legacy parser really does is wider and odder, as the
 * answers AWS gave to moto's IAM policy-validation tests record (getmoto/moto,
 * tests/test_iam/test_iam_policies.py): it takes `01T` and `2016-12-13t2:00:00.593194+23`, refuses
 * `2016-12-13t2:00:00.593194+1`, a tenth fraction digit, month 13 and an epoch past 2^63 − 1, and
 * takes years down to −292275054. Those limits are exactly the ISO parser of the Joda-Time
 * library (its `ISODateTimeFormat.dateTimeParser`, Gregorian years −292275054…292278993), so this
 * module follows that grammar:
 *
 *   datetime       = time | date-opt-time
 *   time           = 'T' time-element [offset]
 *   date-opt-time  = date-element ['T' [time-element] [offset]]
 *   date-element   = yyyy ['-' MM ['-' dd]] | yyyy '-' DDD | xxxx '-W' ww ['-' e]
 *   time-element   = HH [':' mm [':' ss [fraction] | fraction] | fraction]
 *   fraction       = ('.' | ',') 1 to 9 digits
 *   offset         = 'Z' | ('+' | '-') HH [[':'] mm [[':'] ss [('.' | ',') SSS]]]
 *
 * Letters match in either case; years are signed, 1 to 9 digits; other numbers take 1 or 2 digits
 * (3 for the day of the year, 1 for the day of the week) except the offset's, which take exactly
 * 2. Values are checked against the calendar (no 30 February). A value without `t`, `T` or `-` is
 * an epoch time instead: decimal digits (an optional `+`) up to 2^63 − 1, as moto's recorded
 * answers show (`9223372036854775808` fails, a negative number is read as a year).
 *
 * {@link parseIamDate} gives the instant such a value stands for, for the policy evaluator: fields
 * left out take Joda's defaults (1970-01-01T00:00 UTC: January, the 1st, midnight; a week date
 * without its day is that week's Thursday, as 1970-01-01 was), a fraction belongs to the field
 * before it (`T21.5` is 21:30), an epoch is in seconds, and a value without an offset is UTC.
 */

const MIN_YEAR = -292275054;
const MAX_YEAR = 292278993;
const MAX_EPOCH = 9223372036854775807n;

const MS_HOUR = 3_600_000;
const MS_MINUTE = 60_000;
const MS_DAY = 86_400_000;

/** True when IAM's policy parser takes `value` in a `Date*` condition. */
export function isIamDateValue(value: string): boolean {
  return parseIamDate(value) !== null;
}

/**
 * The instant (milliseconds since 1970-01-01T00:00Z) a `Date*` condition value stands for, when
 * IAM's policy parser takes it; null otherwise. Years beyond JavaScript's `Date` range still
 * compare in order (as doubles).
 */
export function parseIamDate(value: string): number | null {
  if (!/[tT-]/.test(value)) {
    if (!/^\+?\d+$/.test(value) || BigInt(value) > MAX_EPOCH) return null;
    return Number(value) * 1000;
  }
  return parseIsoDateTime(value);
}

/** A cursor over the text; each reader returns null (and may leave the cursor anywhere) on no match. */
class Cursor {
  position = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  /** Consumes `char` (either case) if it is next. */
  literal(char: string): boolean {
    if (this.text[this.position]?.toLowerCase() !== char.toLowerCase()) return false;
    this.position += 1;
    return true;
  }

  /** Consumes `separator` and 1 to `max` digits when both are next; otherwise nothing, and returns null. */
  field(separator: string, max: number): number | null {
    const start = this.position;
    if (!this.literal(separator)) return null;
    const value = this.digits(1, max);
    if (value === null) this.position = start;
    return value;
  }

  /** Consumes 1 to `max` digits (at least `min`); null when fewer than `min`. */
  digits(min: number, max: number): number | null {
    const text = this.digitText(min, max);
    return text === null ? null : Number(text);
  }

  /** {@link digits} as written (a fraction's leading zeros count). */
  digitText(min: number, max: number): string | null {
    let end = this.position;
    while (end < this.text.length && end - this.position < max && isDigit(this.text[end]!)) end += 1;
    if (end - this.position < min) return null;
    const text = this.text.slice(this.position, end);
    this.position = end;
    return text;
  }
}

const isDigit = (char: string) => char >= '0' && char <= '9';

function parseIsoDateTime(text: string): number | null {
  const cursor = new Cursor(text);
  if (cursor.literal('T')) {
    const time = timeElement(cursor);
    if (time === null || !time.valid) return null;
    const offset = optionalOffset(cursor);
    return offset === null || !cursor.done ? null : time.ms - offset;
  }
  const days = dateElement(cursor);
  if (days === null) return null;
  let ms = 0;
  let offset = 0;
  if (cursor.literal('T')) {
    const beforeTime = cursor.position;
    const time = timeElement(cursor);
    if (time === null || !time.valid) cursor.position = beforeTime;
    else ms = time.ms;
    const parsed = optionalOffset(cursor);
    if (parsed === null) return null;
    offset = parsed;
  }
  return cursor.done ? days * MS_DAY + ms - offset : null;
}

/** What a date form read: null when its shape does not match; else its day (since 1970-01-01) when its values are valid. */
type FormResult = { valid: false } | { valid: true; days: number } | null;

/** The longest of the three date forms that matches, checked against the calendar: its day, or null. */
function dateElement(cursor: Cursor): number | null {
  const start = cursor.position;
  const candidates = [calendarDate, ordinalDate, weekDate]
    .map((form) => {
      const attempt = new Cursor(cursor.text);
      attempt.position = start;
      const result = form(attempt);
      return result === null ? null : { end: attempt.position, result };
    })
    .filter((candidate) => candidate !== null);
  if (candidates.length === 0) return null;
  // Joda's parser keeps the longest match (the first on a tie), then checks its values.
  const longest = candidates.reduce((best, candidate) => (candidate.end > best.end ? candidate : best));
  cursor.position = longest.end;
  return longest.result.valid ? longest.result.days : null;
}

/** A signed year of 1 to 9 digits; null when there is none. */
function year(cursor: Cursor): number | null {
  const negative = cursor.literal('-');
  if (!negative) cursor.literal('+');
  const digits = cursor.digits(1, 9);
  if (digits === null) return null;
  return negative ? -digits : digits;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number) =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
const yearInRange = (y: number) => y >= MIN_YEAR && y <= MAX_YEAR;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const shifted = m <= 2 ? y - 1 : y;
  const era = Math.floor(shifted / 400);
  const yearOfEra = shifted - era * 400;
  const dayOfYear = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day counted from 1970-01-01 (a Thursday). */
const isoWeekday = (days: number) => ((((days + 3) % 7) + 7) % 7) + 1;

const valid = (ok: boolean, days: () => number): FormResult =>
  ok ? { valid: true, days: days() } : { valid: false };

function calendarDate(cursor: Cursor): FormResult {
  const y = year(cursor);
  if (y === null) return null;
  const inRange = yearInRange(y);
  const month = cursor.field('-', 2);
  if (month === null) return valid(inRange, () => daysFromCivil(y, 1, 1));
  const day = cursor.field('-', 2);
  const monthValid = inRange && month >= 1 && month <= 12;
  if (day === null) return valid(monthValid, () => daysFromCivil(y, month, 1));
  return valid(monthValid && day >= 1 && day <= daysInMonth(y, month), () => daysFromCivil(y, month, day));
}

function ordinalDate(cursor: Cursor): FormResult {
  const y = year(cursor);
  if (y === null || !cursor.literal('-')) return null;
  const day = cursor.digits(1, 3);
  if (day === null) return null;
  return valid(
    yearInRange(y) && day >= 1 && day <= (isLeap(y) ? 366 : 365),
    () => daysFromCivil(y, 1, 1) + day - 1,
  );
}

function weekDate(cursor: Cursor): FormResult {
  const y = year(cursor);
  if (y === null || !cursor.literal('-') || !cursor.literal('W')) return null;
  const week = cursor.digits(1, 2);
  if (week === null) return null;
  let ok = yearInRange(y) && week >= 1 && week <= weeksInYear(y);
  const day = cursor.field('-', 1);
  if (day !== null) ok &&= day >= 1 && day <= 7;
  return valid(ok, () => {
    // Week 1 is the week with 4 January in it; weeks start on Monday.
    const january4 = daysFromCivil(y, 1, 4);
    return january4 - (isoWeekday(january4) - 1) + (week - 1) * 7 + ((day ?? 4) - 1);
  });
}

/** ISO week-numbering years have 53 weeks when they start on a Thursday (or a Wednesday in a leap year). */
function weeksInYear(y: number): number {
  const weekday = isoWeekday(daysFromCivil(y, 1, 1));
  return weekday === 4 || (weekday === 3 && isLeap(y)) ? 53 : 52;
}

/** An optional fraction, ('.' | ',') and 1 to 9 digits, as a number from 0 to 1 (0 when there is none). */
function fraction(cursor: Cursor): number {
  const start = cursor.position;
  if (!(cursor.literal('.') || cursor.literal(','))) return 0;
  const digits = cursor.digitText(1, 9);
  if (digits === null) {
    cursor.position = start;
    return 0;
  }
  return Number(`0.${digits}`);
}

/**
 * HH [':' mm [':' ss [fraction] | fraction] | fraction]: null when the hour is missing; else
 * whether the values are in range, and the time of day in ms (a fraction is of the field before it).
 */
function timeElement(cursor: Cursor): { valid: boolean; ms: number } | null {
  const hour = cursor.digits(1, 2);
  if (hour === null) return null;
  let ok = hour <= 23;
  let ms = hour * MS_HOUR;
  let unit = MS_HOUR;
  const minute = cursor.field(':', 2);
  if (minute !== null) {
    ok &&= minute <= 59;
    ms += minute * MS_MINUTE;
    unit = MS_MINUTE;
    const second = cursor.field(':', 2);
    if (second !== null) {
      ok &&= second <= 59;
      ms += second * 1000;
      unit = 1000;
    }
  }
  ms += Math.floor(fraction(cursor) * unit);
  return { valid: ok, ms };
}

/** An optional offset, in ms east of UTC (0 when there is none); null only when one starts but is not valid. */
function optionalOffset(cursor: Cursor): number | null {
  if (cursor.literal('Z')) return 0;
  const sign = cursor.literal('+') ? 1 : cursor.literal('-') ? -1 : 0;
  if (sign === 0) return 0;
  const hours = twoDigits(cursor);
  if (hours === null || hours > 23) return null;
  const separated = cursor.literal(':');
  if (!separated && !isDigit(cursor.text[cursor.position] ?? '')) return sign * hours * MS_HOUR;
  const minutes = twoDigits(cursor);
  if (minutes === null || minutes > 59) return null;
  const secondsSeparated = separated ? cursor.literal(':') : isDigit(cursor.text[cursor.position] ?? '');
  if (!secondsSeparated) return sign * (hours * MS_HOUR + minutes * MS_MINUTE);
  const seconds = twoDigits(cursor);
  if (seconds === null || seconds > 59) return null;
  let millis = 0;
  if (cursor.literal('.') || cursor.literal(',')) {
    const digits = cursor.digitText(1, 3);
    if (digits === null) return null;
    millis = Number(digits.padEnd(3, '0'));
  }
  return sign * (hours * MS_HOUR + minutes * MS_MINUTE + seconds * 1000 + millis);
}

function twoDigits(cursor: Cursor): number | null {
  return cursor.digits(2, 2);
}
