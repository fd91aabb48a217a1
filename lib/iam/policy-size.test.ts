import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonWithPositions } from '@/lib/iam/json-locate';
import { policySize } from '@/lib/iam/policy-size';

describe('policySize', () => {
  it.each([
    { text: '{ "a" : "b c" }', size: 11 },
    { text: '{\n\t"a":\r\n"\\" x"\n}', size: 12 },
    { text: '', size: 0 },
  ])('counts $text as $size', ({ text, size }) => {
    expect(policySize(text)).toBe(size);
  });

  it('is the length of the compact JSON, however the document is indented, and what the parser leaves after whitespace', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(policySize(text)).toBe(JSON.stringify(value).length);
        const parsed = parseJsonWithPositions(text);
        if (parsed.ok) expect(text.length - parsed.whitespace).toBe(policySize(text));
      }),
    );
  });
});
