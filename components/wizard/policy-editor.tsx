'use client';

import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Tabs } from '@/components/ui/tabs';
import { findingsSummary, JsonEditor } from '@/components/wizard/json-editor';
import type { Finding } from '@/lib/iam/findings';
import type { CustomPolicyState } from '@/lib/wizard/state';

// The builder (about 10 kB compressed) loads when a policy editor is first shown, not with the page.
const VisualBuilder = lazy(() =>
  import('@/components/wizard/visual-builder').then((module) => ({ default: module.VisualBuilder })),
);

type Jump = { line: number; column: number; nonce: number };

export interface PolicyEditorProps {
  policy: CustomPolicyState;
  onChange: (next: CustomPolicyState) => void;
  accountId: string;
  /** The policy's findings from the wizard's preview (summarised on the Visual tab). */
  findings?: Finding[];
  /** Opens the JSON tab at a 1-based line and column (from the findings panel); a new nonce jumps again. */
  jumpTo?: Jump | null;
  /** Size of the role's other inline policies (towards IAM's aggregate inline quota). */
  otherInlinePoliciesSize?: number;
  /** ids of texts describing the document (e.g. its field errors), for the JSON editor's content. */
  describedBy?: string;
  /** The document has a field error (the JSON editor is marked `aria-invalid`). */
  invalid?: boolean;
}

/**
 * A custom permissions policy's editor: tabs **Visual | JSON**. The JSON text
 * (`policy.document`) is the one source of truth: the visual builder reads it and writes only the
 * statement being edited, so switching tabs loses nothing. CodeMirror loads the first time the
 * JSON tab opens.
 */
export function PolicyEditor({
  policy,
  onChange,
  accountId,
  findings,
  jumpTo,
  otherInlinePoliciesSize,
  describedBy,
  invalid,
}: PolicyEditorProps) {
  const [jsonOpened, setJsonOpened] = useState(policy.editor === 'json');
  const [jump, setJump] = useState<Jump | null>(null);
  const policyRef = useRef(policy);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    policyRef.current = policy;
    onChangeRef.current = onChange;
  });

  const openJson = (at: Jump | null) => {
    setJsonOpened(true);
    setJump(at);
    if (policyRef.current.editor !== 'json') onChangeRef.current({ ...policyRef.current, editor: 'json' });
  };

  // A jump asked by the findings panel opens the JSON tab at the finding.
  const lastJumpNonce = useRef<number | null>(null);
  useEffect(() => {
    if (!jumpTo || jumpTo.nonce === lastJumpNonce.current) return;
    lastJumpNonce.current = jumpTo.nonce;
    openJson(jumpTo);
  }, [jumpTo]);

  const editorId = `policy-${policy.id}-json`;
  const count = findings?.length ?? 0;

  return (
    <Tabs
      label={`Policy editor${policy.name ? ` for ${policy.name}` : ''}`}
      selectedTab={policy.editor}
      onSelectTab={(tab) => {
        if (tab === 'json') setJsonOpened(true);
        onChange({ ...policy, editor: tab === 'json' ? 'json' : 'visual' });
      }}
      tabs={[
        {
          id: 'visual',
          label: 'Visual',
          content: (
            <div className="flex flex-col gap-3">
              {count > 0 ? (
                <div className="flex flex-wrap items-center gap-2 text-sm text-slate-800">
                  <span>Findings: {findingsSummary(findings ?? [])}.</span>
                  <Button variant="ghost" size="sm" onClick={() => openJson(null)}>
                    See them in JSON
                  </Button>
                </div>
              ) : null}
              <Suspense fallback={<p className="text-sm text-slate-700">Loading the visual editor…</p>}>
                <VisualBuilder
                  id={`policy-${policy.id}-visual`}
                  document={policy.document}
                  accountId={accountId}
                  onChange={(document) => onChange({ ...policy, document })}
                  onEditInJson={(position) => openJson({ ...position, nonce: Date.now() })}
                />
              </Suspense>
            </div>
          ),
        },
        {
          id: 'json',
          label: 'JSON',
          content: jsonOpened ? (
            <div className="flex flex-col gap-1">
              <label htmlFor={editorId} className="text-sm font-medium text-slate-900">
                Policy document (JSON)
              </label>
              <JsonEditor
                id={editorId}
                value={policy.document}
                onChange={(document) => onChange({ ...policy, document })}
                kind="identity"
                accountId={accountId}
                identityPolicyType={policy.kind}
                otherInlinePoliciesSize={otherInlinePoliciesSize ?? 0}
                jumpTo={jump}
                {...(describedBy ? { describedBy } : {})}
                {...(invalid ? { invalid } : {})}
              />
            </div>
          ) : null,
        },
      ]}
    />
  );
}
