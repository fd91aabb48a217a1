import { describe, expect, it } from 'vitest';
import { isIamDateValue } from '@/lib/iam/iam-date';

// Where each case comes from:
// - doc: IAM User Guide, "IAM JSON policy elements: Condition operators", section "Date condition
//   operators" (reference_policies_elements_condition_operators.html#Conditions_Date): W3C ISO 8601
//   profiles (https://www.w3.org/TR/NOTE-datetime) or epoch (UNIX) time.
// - moto: AWS's answers recorded by moto's IAM policy-validation tests (getmoto/moto,
//   tests/test_iam/test_iam_policies.py: valid documents, and invalid ones failing with "The policy
//   failed legacy parsing").
// - joda: the grammar those answers match, Joda-Time's ISODateTimeFormat.dateTimeParser (see
//   lib/iam/iam-date.ts), for forms no recorded answer covers.
const accepted: [string, string][] = [
  ['2026', 'doc: YYYY'],
  ['2026-01', 'doc: YYYY-MM'],
  ['2026-01-31', 'doc: YYYY-MM-DD'],
  ['2026-01-31T12:00Z', 'doc: YYYY-MM-DDThh:mmTZD'],
  ['2026-01-31T12:00:30+01:00', 'doc: YYYY-MM-DDThh:mm:ssTZD'],
  ['2026-01-31T12:00:30.45-05:00', 'doc: YYYY-MM-DDThh:mm:ss.sTZD'],
  ['1767225600', 'doc: epoch time'],
  ['2017-07-01T00:00:00Z', 'moto: valid documents (aws:CurrentTime range)'],
  ['2019-07-01T13:20:15Z', 'moto: valid DateLessThanEquals'],
  ['2016-12-13T21:20:37.593194+00:00', 'moto: valid DateLessThanEquals'],
  ['2016-12-13t2:00:00.593194+23', 'moto: valid, lower-case t, one-digit hour, offset +23'],
  ['01T', 'moto: valid DateGreaterThan "01T" (year 1, empty time)'],
  ['-292275054', 'moto: valid DateLessThan, the smallest year'],
  ['9223372036854775807', 'moto model: the largest epoch (2^63 - 1)'],
  ['2016-12-13T21:20:37.123456789Z', 'joda: nine fraction digits'],
  ['2016-12-13T21:20:37,5Z', 'joda: a comma before the fraction'],
  ['2016-12-13T21.5', 'joda: a fraction of an hour'],
  ['2016-12-13T21:20.5', 'joda: a fraction of a minute'],
  ['2016-12-13TZ', 'joda: T with an offset and no time'],
  ['2016-12-13T', 'joda: T alone after a date'],
  ['T10:00Z', 'joda: a time without a date'],
  ['2016-348', 'joda: ordinal date (day of the year)'],
  ['2016-W50-2', 'joda: week date'],
  ['2020-W53', 'joda: 2020 has 53 ISO weeks'],
  ['2016-02-29', 'joda: 29 February of a leap year'],
  ['2016-12-13T10:00+0530', 'joda: offset without a colon'],
  ['2016-12-13T10:00z', 'joda: lower-case z'],
  ['292278993-12-31', 'joda: the largest year'],
];
const refused: [string, string][] = [
  ['sdfdsf', 'moto: "The policy failed legacy parsing"'],
  ['234-13', 'moto: month 13'],
  ['2016-12-13t2:00:00.593194+1', 'moto: a one-digit offset hour'],
  ['2016-12-13t2:00:00.1999999999+10:59', 'moto: ten fraction digits'],
  ['9223372036854775808', 'moto: an epoch past 2^63 - 1'],
  ['tomorrow', 'doc: neither ISO 8601 nor epoch'],
  ['31/01/2026', 'doc: neither ISO 8601 nor epoch'],
  ['', 'doc: empty'],
  ['-292275055', 'joda: a year below the smallest'],
  ['2016-12-13 10:00:00', 'joda: a space instead of T'],
  ['2016-12-13Z', 'joda: an offset needs the T'],
  ['2016-02-30', 'joda: 30 February'],
  ['2015-02-29', 'joda: 29 February of a common year'],
  ['2015-366', 'joda: day 366 of a common year'],
  ['2021-W53', 'joda: 2021 has 52 ISO weeks'],
  ['2016-12-13T24:00', 'joda: hour 24'],
  ['2016-12-13T10:60', 'joda: minute 60'],
  ['2016-12-13T10:00+24:00', 'joda: offset hour 24'],
  ['2016-12-13T10:00+05:', 'joda: an offset colon without minutes'],
  ['1767225600.5', 'moto model: an epoch is a whole number'],
  ['2016-12-13T10:00:00ZZ', 'joda: text after the offset'],
];

describe('isIamDateValue', () => {
  it.each(accepted)('accepts %s (%s)', (value) => {
    expect(isIamDateValue(value)).toBe(true);
  });
  it.each(refused)('refuses %s (%s)', (value) => {
    expect(isIamDateValue(value)).toBe(false);
  });
});
