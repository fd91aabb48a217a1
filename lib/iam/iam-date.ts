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
 */

const MIN_YEAR = -292275054;
const MAX_YEAR = 292278993;
const MAX_EPOCH = 9223372036854775807n;

/** True when IAM's policy parser takes `value` in a `Date*` condition. */
export function isIamDateValue(value: string): boolean {
  if (!/[tT-]/.test(value)) return /^\+?\d+$/.test(value) && BigInt(value) <= MAX_EPOCH;
  return parseIsoDateTime(value);
}

/** A cursor over the text; each reader returns false (and may leave the cursor anywhere) on no match. */
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
    let end = this.position;
    while (end < this.text.length && end - this.position < max && isDigit(this.text[end]!)) end += 1;
    if (end - this.position < min) return null;
    const value = Number(this.text.slice(this.position, end));
    this.position = end;
    return value;
  }
}

const isDigit = (char: string) => char >= '0' && char <= '9';

function parseIsoDateTime(text: string): boolean {
  const cursor = new Cursor(text);
  if (cursor.literal('T')) return timeElement(cursor) && optionalOffset(cursor) && cursor.done;
  if (!dateElement(cursor)) return false;
  if (cursor.literal('T')) {
    const beforeTime = cursor.position;
    if (!timeElement(cursor)) cursor.position = beforeTime;
    if (!optionalOffset(cursor)) return false;
  }
  return cursor.done;
}

/** The longest of the three date forms that matches, checked against the calendar. */
function dateElement(cursor: Cursor): boolean {
  const start = cursor.position;
  const candidates = [calendarDate, ordinalDate, weekDate]
    .map((form) => {
      const attempt = new Cursor(cursor.text);
      attempt.position = start;
      const valid = form(attempt);
      return valid === null ? null : { end: attempt.position, valid };
    })
    .filter((candidate) => candidate !== null);
  if (candidates.length === 0) return false;
  // Joda's parser keeps the longest match (the first on a tie), then checks its values.
  const longest = candidates.reduce((best, candidate) => (candidate.end > best.end ? candidate : best));
  cursor.position = longest.end;
  return longest.valid;
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

// Each form returns null when its shape does not match, else whether its values are valid.

function calendarDate(cursor: Cursor): boolean | null {
  const y = year(cursor);
  if (y === null) return null;
  const valid = yearInRange(y);
  const month = cursor.field('-', 2);
  if (month === null) return valid;
  const day = cursor.field('-', 2);
  const monthValid = valid && month >= 1 && month <= 12;
  return day === null ? monthValid : monthValid && day >= 1 && day <= daysInMonth(y, month);
}

function ordinalDate(cursor: Cursor): boolean | null {
  const y = year(cursor);
  if (y === null || !cursor.literal('-')) return null;
  const day = cursor.digits(1, 3);
  if (day === null) return null;
  return yearInRange(y) && day >= 1 && day <= (isLeap(y) ? 366 : 365);
}

function weekDate(cursor: Cursor): boolean | null {
  const y = year(cursor);
  if (y === null || !cursor.literal('-') || !cursor.literal('W')) return null;
  const week = cursor.digits(1, 2);
  if (week === null) return null;
  let valid = yearInRange(y) && week >= 1 && week <= weeksInYear(y);
  const day = cursor.field('-', 1);
  if (day !== null) valid &&= day >= 1 && day <= 7;
  return valid;
}

/** ISO week-numbering years have 53 weeks when they start on a Thursday (or a Wednesday in a leap year). */
function weeksInYear(y: number): number {
  const weekday = dayOfWeekJan1(y);
  return weekday === 4 || (weekday === 3 && isLeap(y)) ? 53 : 52;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of 1 January of a proleptic Gregorian year. */
function dayOfWeekJan1(y: number): number {
  // Gauss's algorithm, with the year reduced modulo the 400-year cycle so negative years work.
  const r = (((y - 1) % 400) + 400) % 400;
  const sunday0 = (1 + 5 * (r % 4) + 4 * (r % 100) + 6 * (r % 400)) % 7;
  return sunday0 === 0 ? 7 : sunday0;
}

/** An optional fraction: ('.' | ',') and 1 to 9 digits. */
function fraction(cursor: Cursor): void {
  if (cursor.field('.', 9) === null) cursor.field(',', 9);
}

/** HH [':' mm [':' ss [fraction] | fraction] | fraction]; false when the hour is missing or a value is out of range. */
function timeElement(cursor: Cursor): boolean {
  const hour = cursor.digits(1, 2);
  if (hour === null) return false;
  let valid = hour <= 23;
  const minute = cursor.field(':', 2);
  if (minute !== null) {
    valid &&= minute <= 59;
    const second = cursor.field(':', 2);
    if (second !== null) valid &&= second <= 59;
  }
  fraction(cursor);
  return valid;
}

/** An optional offset; false only when one starts but is not valid. */
function optionalOffset(cursor: Cursor): boolean {
  if (cursor.literal('Z')) return true;
  if (!(cursor.literal('+') || cursor.literal('-'))) return true;
  const hours = twoDigits(cursor);
  if (hours === null || hours > 23) return false;
  const separated = cursor.literal(':');
  if (!separated && !isDigit(cursor.text[cursor.position] ?? '')) return true;
  const minutes = twoDigits(cursor);
  if (minutes === null || minutes > 59) return false;
  const secondsSeparated = separated ? cursor.literal(':') : isDigit(cursor.text[cursor.position] ?? '');
  if (!secondsSeparated) return true;
  const seconds = twoDigits(cursor);
  if (seconds === null || seconds > 59) return false;
  if (cursor.literal('.') || cursor.literal(',')) return cursor.digits(1, 3) !== null;
  return true;
}

function twoDigits(cursor: Cursor): number | null {
  return cursor.digits(2, 2);
}
