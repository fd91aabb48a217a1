import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OptionCards } from '@/components/wizard/option-cards';

const render = (errors?: string[]) =>
  renderToStaticMarkup(
    <OptionCards
      id="kind"
      name="kind"
      legend="Trusted entity type"
      value="b"
      onValueChange={() => undefined}
      errors={errors}
      options={[
        { value: 'a', title: 'AWS account', description: 'Another account' },
        { value: 'b', title: 'AWS service' },
      ]}
    />,
  );

describe('OptionCards', () => {
  it('is a fieldset of native radios sharing one name (one Tab stop, arrow keys), the value checked', () => {
    const html = render();
    expect(html).toMatch(/^<fieldset id="kind"/);
    expect(html).toContain('<legend');
    expect(html.match(/<input type="radio"[^>]*name="kind"/g)).toHaveLength(2);
    expect(html).toMatch(/<input type="radio" id="kind-b"[^>]*name="kind" checked=""/);
    expect(html).not.toMatch(/<input type="radio" id="kind-a"[^>]*checked/);
  });

  it('names each radio by its title and describes it by its line', () => {
    const html = render();
    expect(html).toMatch(
      /id="kind-a"[^>]*aria-labelledby="kind-a-title" aria-describedby="kind-a-description"/,
    );
    expect(html).toContain('<span id="kind-a-title"');
    expect(html).toContain('<span id="kind-a-description"');
    expect(html).not.toMatch(/id="kind-b"[^>]*aria-describedby/);
  });

  it('shows its errors and marks the group invalid', () => {
    expect(render(['Choose a trusted entity type'])).toMatch(
      /^<fieldset id="kind" aria-invalid="true" aria-describedby="kind-error"/,
    );
  });
});
