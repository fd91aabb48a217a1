import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SendTestForm } from '@/components/admin/send-test-form';
import { fail } from '@/lib/result';

const action = () => Promise.resolve(fail('not_found', 'Save the webhook first, then send a test'));

describe('Send test', () => {
  it('says beside the disabled button why it waits', () => {
    const html = renderToStaticMarkup(
      <SendTestForm action={action} disabledReason="Save the webhook first: a test goes to its saved URL." />,
    );
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*aria-describedby="send-test-reason"/);
    expect(html).toContain('<p id="send-test-reason"');
    expect(html).toContain('Save the webhook first: a test goes to its saved URL.');
  });

  it('is enabled with no reason once the webhook is saved', () => {
    const html = renderToStaticMarkup(<SendTestForm action={action} disabledReason={null} />);
    expect(html).not.toContain('disabled=""');
    expect(html).not.toContain('send-test-reason');
  });
});
