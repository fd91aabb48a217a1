import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RequestHeader } from '@/components/requests/request-header';
import { roleSpecSchema } from '@/lib/iam/role-spec';
import type { RoleRequest } from '@/lib/requests/model';
import type { RolePeople } from '@/lib/requests/role-people';

const ACCOUNT = '444455556666';
const spec = roleSpecSchema.parse({
  accountId: ACCOUNT,
  name: 'app-role',
  trustedEntity: { type: 'aws_account', accountId: '111122223333' },
  managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
});

/** Bob's restore of Alice's role: a change request carrying no users of its own. */
const restore: RoleRequest = {
  id: 'r-1',
  kind: 'change',
  accountId: ACCOUNT,
  roleName: 'app-role',
  requester: { id: 'bob', email: 'bob@acme.example', name: 'Bob Brown' },
  justification: 'Restore what Rolesmith recorded (undo the drift)',
  spec,
  specSha256: '0'.repeat(64),
  baseSpec: spec,
  diff: null,
  state: 'pending',
  version: 1,
  approvalsRequired: 1,
  findings: [],
  risks: [],
  failure: null,
  flagJustifications: {},
  roleUsers: [],
  fromRequestId: null,
  managedPolicyVersions: [],
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

const text = (people: RolePeople | null) =>
  renderToStaticMarkup(
    <RequestHeader
      request={restore}
      accountAlias={null}
      approvalsGiven={0}
      people={people}
      now={new Date(0)}
    />,
  )
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('RequestHeader', () => {
  it('names the role’s owner and users for a change by someone else, not its requester', () => {
    const alice = { name: 'Alice Adams', email: 'alice@acme.example' };
    expect(text({ owner: alice, users: [], tense: 'now' })).toContain(
      'Who uses the role Only Alice Adams (alice@acme.example)',
    );
    expect(text({ owner: alice, users: ['erin@acme.example'], tense: 'now' })).toContain(
      'Who uses the role alice@acme.example, erin@acme.example',
    );
    expect(text({ owner: alice, users: [], tense: 'now' })).not.toContain('Only Bob Brown');
  });

  it('says nothing of who uses a role Rolesmith no longer has', () => {
    expect(text(null)).not.toMatch(/Who (will )?uses? the role/);
  });
});
