import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '@/lib/csv';

describe('csvField', () => {
  it.each([
    // Plain text and numbers stay as they are.
    { value: 'approved', field: 'approved' },
    { value: '', field: '' },
    { value: null, field: '' },
    { value: 3, field: '3' },
    { value: -3, field: '-3' },
    { value: Number.NaN, field: '' },
    // RFC 4180: commas, quotes and line breaks are quoted, quotes doubled.
    { value: 'a,b', field: '"a,b"' },
    { value: 'say "yes"', field: '"say ""yes"""' },
    { value: 'line one\nline two', field: '"line one\nline two"' },
    { value: 'a\r\nb', field: '"a\r\nb"' },
    // Formula injection: a leading =, +, -, @, tab or CR is prefixed with a quote.
    { value: '=HYPERLINK("http://evil.example","x")', field: `"'=HYPERLINK(""http://evil.example"",""x"")"` },
    { value: '=1+2', field: "'=1+2" },
    { value: '+1', field: "'+1" },
    { value: '-2+3', field: "'-2+3" },
    { value: '@SUM(A1:A2)', field: "'@SUM(A1:A2)" },
    { value: '\tcmd', field: "'\tcmd" },
    { value: '\r=1', field: `"'\r=1"` },
    { value: '=a,b', field: `"'=a,b"` },
    // Only the first character matters.
    { value: 'a=1', field: 'a=1' },
    { value: ' =1', field: ' =1' },
    { value: "'=1", field: "'=1" },
  ])('$value → $field', ({ value, field }) => {
    expect(csvField(value)).toBe(field);
  });
});

describe('csvRecord', () => {
  it('joins fields with commas and ends the record with CRLF', () => {
    expect(csvRecord(['a', 1, null, 'b,c', '=x'])).toBe(`a,1,,"b,c",'=x\r\n`);
  });
});
