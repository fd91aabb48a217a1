import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ColorPicker } from '@/components/roles/color-picker';
import { RadioGroup } from '@/components/ui/choice';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';

/** The `<input>` tag with this value, from rendered markup. */
const inputWith = (html: string, value: string) =>
  new RegExp(`<input[^>]*value="${value}"[^>]*>`).exec(html)?.[0] ?? '';

describe('Field', () => {
  it('labels its control and describes it by its hint and errors, marking it invalid', () => {
    const html = renderToStaticMarkup(
      <Field id="alias" label="Alias" hint="Lower-case letters." errors={['Enter an alias']}>
        {(props) => <Input {...props} name="alias" />}
      </Field>,
    );
    expect(html).toContain('<label for="alias"');
    expect(html).toMatch(
      /<input [^>]*id="alias"[^>]*aria-invalid="true"[^>]*aria-describedby="alias-hint alias-error"/,
    );
    expect(html).toContain('<p id="alias-hint"');
    expect(html).toContain('<ul id="alias-error"');
    expect(html).toContain('focus-ring');
  });

  it('leaves out the description and the invalid mark when there is nothing to say', () => {
    const html = renderToStaticMarkup(
      <Field id="q" label="Search">
        {(props) => <Input {...props} />}
      </Field>,
    );
    expect(html).not.toContain('aria-invalid');
    expect(html).not.toContain('aria-describedby');
  });
});

describe('RadioGroup', () => {
  it('is a fieldset with a legend, one labelled radio per option, the value checked', () => {
    const html = renderToStaticMarkup(
      <RadioGroup
        id="kind"
        name="kind"
        legend="Kind"
        defaultValue="b"
        errors={['Choose one']}
        options={[
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ]}
      />,
    );
    expect(html).toMatch(/^<fieldset id="kind" aria-invalid="true" aria-describedby="kind-error"/);
    expect(html).toContain('<legend');
    expect(html).toMatch(/<label for="kind-a"[^>]*><input type="radio" id="kind-a"/);
    expect(inputWith(html, 'a')).not.toContain('checked');
    expect(inputWith(html, 'b')).toContain('checked=""');
  });
});

describe('ColorPicker', () => {
  const render = (value: string, extra?: { hex: string; name: string }) =>
    renderToStaticMarkup(
      <ColorPicker id="c" legend="Colour" value={value} onValueChange={() => undefined} extra={extra} />,
    );

  it("offers the console's five colours by name, the value checked", () => {
    const html = render('83d4e8');
    for (const name of ['Red', 'Orange', 'Yellow', 'Green', 'Blue']) expect(html).toContain(name);
    expect(inputWith(html, '83D4E8')).toContain('checked=""');
    expect(inputWith(html, 'F2B0A9')).not.toContain('checked');
  });

  it('adds a colour from outside the palette, and never repeats one inside it', () => {
    const html = render('ABCDEF', { hex: 'ABCDEF', name: 'From the link' });
    expect(inputWith(html, 'ABCDEF')).toContain('checked=""');
    expect(render('F2B0A9', { hex: 'F2B0A9', name: 'From the link' })).not.toContain('From the link');
  });
});
