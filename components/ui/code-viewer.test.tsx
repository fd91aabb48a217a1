import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CodeViewer } from '@/components/ui/code-viewer';
import { tokenizeJson } from '@/components/ui/json-tokens';

describe('tokenizeJson', () => {
  it('tells keys, strings, numbers, literals and punctuation apart', () => {
    const tokens = tokenizeJson('{"Effect": "Allow", "n": -1.5e3, "ok": true, "x": null, "a": [1]}');
    expect(tokens.filter((token) => token.kind !== 'text')).toEqual([
      { kind: 'punctuation', text: '{' },
      { kind: 'key', text: '"Effect"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'string', text: '"Allow"' },
      { kind: 'punctuation', text: ',' },
      { kind: 'key', text: '"n"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'number', text: '-1.5e3' },
      { kind: 'punctuation', text: ',' },
      { kind: 'key', text: '"ok"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'literal', text: 'true' },
      { kind: 'punctuation', text: ',' },
      { kind: 'key', text: '"x"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'literal', text: 'null' },
      { kind: 'punctuation', text: ',' },
      { kind: 'key', text: '"a"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'punctuation', text: '[' },
      { kind: 'number', text: '1' },
      { kind: 'punctuation', text: ']' },
      { kind: 'punctuation', text: '}' },
    ]);
  });

  it.each([
    '{\n  "a": "b \\" c",\n  "k" : 1\n}',
    '{"Statement": [ {"Action": "s3:*"} ]',
    'not json at all: true 12 "unterminated',
    '',
  ])('gives back its input exactly when joined: %j', (source) => {
    expect(
      tokenizeJson(source)
        .map((token) => token.text)
        .join(''),
    ).toBe(source);
  });

  it('keeps an escaped quote inside its string', () => {
    expect(tokenizeJson('"say \\"hi\\"": 1')[0]).toEqual({ kind: 'key', text: '"say \\"hi\\""' });
  });
});

describe('CodeViewer', () => {
  it('renders markup in a JSON value as text, never as elements', () => {
    const html = renderToStaticMarkup(
      <CodeViewer value={{ Sid: '</script><img src=x onerror=alert(1)>' }} label="Policy" />,
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('</script>');
    expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('renders a focusable, named block with one span per highlighted token and no script', () => {
    const html = renderToStaticMarkup(<CodeViewer value={{ a: 1 }} label="Trust policy" />);
    expect(html).toMatch(/^<pre tabindex="0" aria-label="Trust policy"/);
    expect(html).toContain('<span class="text-indigo-800">&quot;a&quot;</span>');
    expect(html).toContain('<span class="text-amber-800">1</span>');
    expect(html).not.toContain('<script');
  });

  it('shows text that is not JSON as it is', () => {
    const html = renderToStaticMarkup(<CodeViewer json={'{"a": <b>'} label="Draft" />);
    expect(html).toContain('&lt;b&gt;');
  });
});
