import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApprovalsSection, approvedVersionWords } from '@/components/requests/approvals-section';
import type { RequestApproval, RoleRequest } from '@/lib/requests/model';

const approval = (requestVersion: number, voided = false): RequestApproval => ({
  approverId: 'demo-bob',
  approverName: 'Bob Brown',
  requestVersion,
  specSha256: 'a3f1c9e27b5d40aa9f0e6c1b2d3e4f5061728394a5b6c7d8e9f0a1b2c3d4e5f6',
  comment: '',
  acknowledged: [],
  voided,
  at: new Date('2026-12-08T01:00:00Z'),
});

const text = (version: number, approvals: RequestApproval[]) =>
  renderToStaticMarkup(
    <ApprovalsSection
      request={{ version, state: 'pending', approvalsRequired: 2 } as RoleRequest}
      approvals={approvals}
      now={new Date('2026-12-08T02:00:00Z')}
    />,
  ).replace(/<[^>]+>/g, ' ');

describe('an approval card', () => {
  it('says in words which version was approved, and shows no hash', () => {
    const words = text(2, [approval(1, true), approval(2)]);
    expect(words).toContain('Approved version 1 of the request');
    expect(words).toContain('Approved this version (version 2)');
    expect(words).not.toContain('a3f1c9e27b5d');
    expect(words).not.toContain('specification');
  });

  it('words the version', () => {
    expect(approvedVersionWords(3, 3)).toBe('Approved this version (version 3)');
    expect(approvedVersionWords(1, 3)).toBe('Approved version 1 of the request');
  });
});
