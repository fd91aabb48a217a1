'use client';
// Placeholder replaced by the policy-editor slice of issue 12 (Visual | JSON tabs); never merged as is.
import type { Finding } from '@/lib/iam/findings';
import type { CustomPolicyState } from '@/lib/wizard/state';
import { JsonEditor } from '@/components/wizard/json-editor';

export interface PolicyEditorProps {
  policy: CustomPolicyState;
  onChange: (next: CustomPolicyState) => void;
  accountId: string;
  findings?: Finding[];
  jumpTo?: { line: number; column: number; nonce: number } | null;
  otherInlinePoliciesSize?: number;
  /** ids of texts describing the document (e.g. its field errors). */
  describedBy?: string;
  /** The document has a field error. */
  invalid?: boolean;
}

export function PolicyEditor({
  policy,
  onChange,
  accountId,
  jumpTo,
  describedBy,
  invalid,
}: PolicyEditorProps) {
  return (
    <JsonEditor
      id={`policy-${policy.id}-document`}
      ariaLabel={`Policy document${policy.name ? ` ${policy.name}` : ''}`}
      describedBy={describedBy}
      invalid={invalid}
      value={policy.document}
      onChange={(document) => onChange({ ...policy, document, editor: 'json' })}
      kind="identity"
      accountId={accountId}
      identityPolicyType={policy.kind}
      jumpTo={jumpTo}
    />
  );
}
