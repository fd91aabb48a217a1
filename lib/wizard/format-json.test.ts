import { describe, expect, it } from 'vitest';
import { formatJsonText } from '@/lib/wizard/format-json';

describe('formatJsonText', () => {
  it('indents by four spaces as the console writes', () => {
    const text =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*","Condition":{}}]}';
    const formatted = formatJsonText(text);
    expect(formatted).toEqual({ ok: true, text: JSON.stringify(JSON.parse(text), null, 4) });
  });

  it('changes only white space: escapes, number spelling and repeated keys stay', () => {
    const text = '{ "a": "caf\\u00e9 \\/", "n": 1.50, "n": 1e3, "e": [ ], "o": {  } }';
    expect(formatJsonText(text)).toEqual({
      ok: true,
      text: '{\n    "a": "caf\\u00e9 \\/",\n    "n": 1.50,\n    "n": 1e3,\n    "e": [],\n    "o": {}\n}',
    });
  });

  it('says where text stops being JSON, and formats nothing', () => {
    expect(formatJsonText('{\n  "Version": "2012-10-17",\n  "Statement": [\n}')).toMatchObject({
      ok: false,
      line: 4,
      column: 1,
    });
  });
});
