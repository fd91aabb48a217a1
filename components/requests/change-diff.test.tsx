import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChangeDiff } from '@/components/requests/change-diff';
import { DeleteSummary } from '@/components/requests/delete-summary';
import { roleSpecSchema, type RoleSpec, type RoleSpecInput } from '@/lib/iam/role-spec';
import type { RoleRequest } from '@/lib/requests/model';

const ACCOUNT = '444455556666';
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

function spec(overrides: Partial<RoleSpecInput> = {}): RoleSpec {
  return roleSpecSchema.parse({
    accountId: ACCOUNT,
    name: 'app-role',
    trustedEntity: { type: 'aws_account', accountId: '111122223333' },
    inlinePolicies: [
      {
        name: 'main',
        document: doc({
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: 'arn:aws:s3:::b/*',
        }),
      },
    ],
    ...overrides,
  });
}

function request(kind: RoleRequest['kind'], before: RoleSpec, after: RoleSpec): RoleRequest {
  return {
    id: 'r-1',
    kind,
    accountId: ACCOUNT,
    roleName: after.name,
    requester: { id: 'alice', email: 'alice@acme.example', name: 'Alice' },
    justification: 'test',
    spec: after,
    specSha256: '0'.repeat(64),
    baseSpec: before,
    diff: null,
    state: 'pending',
    version: 1,
    approvalsRequired: 1,
    findings: [],
    risks: [],
    failure: null,
    flagJustifications: {},
    roleUsers: ['dave@acme.example'],
    fromRequestId: null,
    managedPolicyVersions: [],
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
}

const render = async (element: Promise<React.ReactElement | null>) => renderToStaticMarkup(await element);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('ChangeDiff', () => {
  it('says "Grants no new access" for a narrowing change, and shows what was removed', async () => {
    const narrowed = spec({
      inlinePolicies: [
        {
          name: 'main',
          document: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/x/*' }),
        },
      ],
    });
    const html = await render(ChangeDiff({ request: request('change', spec(), narrowed) }));
    expect(text(html)).toContain('Grants no new access');
    expect(text(html)).not.toContain('May grant new access');
    expect(text(html)).toMatch(/Actions no longer allowed .*Amazon S3 Write \(1\) s3:PutObject/);
    // The side-by-side is folded until asked for, and marks lines with symbols and words.
    expect(html).toMatch(/<details[^>]*><summary[^>]*><span class="font-medium">Inline policy main<\/span>/);
    expect(html).toContain('Removed: ');
    expect(html).toContain('Added: ');
  });

  it('says "May grant new access" for a widening change, naming the statement, its pointer and why', async () => {
    const widened = spec({
      inlinePolicies: [
        {
          name: 'main',
          document: doc({ Sid: 'All', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }),
        },
      ],
      trustedEntity: { type: 'aws_account', accountId: '777788889999' },
    });
    const html = text(await render(ChangeDiff({ request: request('change', spec(), widened) })));
    expect(html).toContain('May grant new access');
    expect(html).toContain('Inline policy main, statement 0 (All) · /Statement/0');
    expect(html).toContain('Allows s3:*, which no statement allowed before.');
    expect(html).toContain('Trust policy, statement 0 · /Statement/0');
    expect(html).toMatch(/Account 777788889999 Added/);
  });

  it('folds the actions of a change that removes AdministratorAccess into one row per service', async () => {
    const admin = spec({
      inlinePolicies: [],
      managedPolicyArns: [
        'arn:aws:iam::aws:policy/AdministratorAccess',
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ],
    });
    const readOnly = { ...admin, managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] };
    const html = await render(ChangeDiff({ request: request('change', admin, readOnly) }));
    // Every action of every service was listed (15,000 names, 2 MB): a row per service now, each
    // saying how many actions of which access levels, the names of a whole service not repeated.
    expect(html.length).toBeLessThan(400_000);
    expect(text(html)).toMatch(/Actions no longer allowed .*Amazon S3 .*All \d+ actions of the service/);
    expect(text(html)).toMatch(/Amazon EC2 (List \(\d+\), )?(Read \(\d+\), )?Write \(\d+\)/);
    expect(html).not.toContain(
      '<code class="rounded bg-slate-100 px-1 font-mono text-xs break-words">s3:PutObject</code>',
    );
  });

  it('renders nothing for other kinds', async () => {
    expect(await ChangeDiff({ request: request('create', spec(), spec()) })).toBeNull();
  });
});

describe('DeleteSummary', () => {
  it('lists what is deleted and what is only detached, and who loses access', () => {
    const base = spec({
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      newManagedPolicies: [
        {
          name: 'app-extra',
          description: '',
          document: doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }),
        },
      ],
    });
    const html = text(renderToStaticMarkup(DeleteSummary({ request: request('delete', base, base) })));
    expect(html).toContain(`Role arn:aws:iam::${ACCOUNT}:role/app-role Deleted`);
    expect(html).toContain('Inline policy main Deleted with the role');
    expect(html).toContain(`arn:aws:iam::${ACCOUNT}:policy/app-extra Detached, then deleted`);
    expect(html).toContain('arn:aws:iam::aws:policy/ReadOnlyAccess Detached only');
    expect(html).toContain('Users and roles in account 111122223333');
    expect(html).toContain('dave@acme.example');
  });

  it('renders nothing for other kinds', () => {
    expect(DeleteSummary({ request: request('change', spec(), spec()) })).toBeNull();
  });
});
