import { describe, expect, it } from 'vitest';
import { notificationBody, type NotificationFacts } from '@/lib/notifications/payload';

// A display name comes from the identity provider, where a person may often set their own.
const mischief = '<!channel> Eve & <https://evil.example|Open the request>';

const facts = (change: Partial<NotificationFacts> = {}): NotificationFacts => ({
  deliveryId: '7d1f0c1e-2b9a-4c55-9a43-0e7d4f1b2c3d',
  event: 'rejected',
  occurredAt: new Date('2026-12-08T03:00:00Z'),
  request: {
    id: '0b5e1c9a-4f8d-4c1e-9d3a-6f2b8e7a1c40',
    kind: 'create',
    accountId: '111122223333',
    accountAlias: 'prod <ops> & co',
    roleName: 'DataReader',
    state: 'rejected',
  },
  actor: { id: 'user-eve', name: mischief, email: 'eve@example.com' },
  reason: 'No <!here>\nsecond line & more',
  ...change,
});

interface Body {
  text: string;
  blocks: { type: string; text?: { text: string } }[];
  rolesmith: { actor: { name: string }; reason: string; request: { accountAlias: string } };
}

const bodyOf = (input: NotificationFacts): Body =>
  JSON.parse(notificationBody(input, 'https://rolesmith.example.com/')) as Body;

describe('notificationBody', () => {
  it.each([
    { name: 'a request', input: facts() },
    { name: 'a test', input: facts({ event: 'test', request: null, reason: null }) },
  ])('$name: Slack text carries no mention or link of the person’s own making', ({ input }) => {
    const body = bodyOf(input);
    // Slack reads `text` (the notification's fallback) as mrkdwn too: <!channel> would ping everyone.
    for (const text of [body.text, ...body.blocks.map((block) => block.text?.text ?? '')]) {
      expect(text).not.toContain('<!');
      expect(text).not.toContain('<https://evil');
    }
    expect(body.text).toContain('&lt;!channel&gt; Eve &amp; &lt;https://evil.example|Open the request&gt;');
  });

  it('quotes every line of a rejection’s reason', () => {
    const section = bodyOf(facts()).blocks[0]!.text!.text;
    expect(section.split('\n').slice(-2)).toEqual(['> No &lt;!here&gt;', '> second line &amp; more']);
  });

  it('keeps the machine-readable part as it was said', () => {
    const body = bodyOf(facts());
    expect(body.rolesmith.actor.name).toBe(mischief);
    expect(body.rolesmith.reason).toBe('No <!here>\nsecond line & more');
    expect(body.rolesmith.request.accountAlias).toBe('prod <ops> & co');
  });
});
