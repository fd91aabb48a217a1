'use client';

import { useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { CodeViewer } from '@/components/ui/code-viewer';
import { BuilderBlockEditor } from '@/components/wizard/visual-builder-block';
import {
  appendStatement,
  emptyBlock,
  readBuilderDocument,
  removeStatement,
  replaceStatement,
  type StatementPosition,
} from '@/lib/wizard/builder-model';

/**
 * The visual policy builder (the console's visual editor): each statement it can show is a block
 * (service → actions → resources → conditions, Allow or Deny); a statement it cannot show stays
 * read-only JSON with "Edit in JSON" and is never rewritten. Edits are written straight into the
 * JSON text, which stays the source of truth: only the edited statement's text changes.
 */
export function VisualBuilder({
  id,
  document,
  accountId,
  onChange,
  onEditInJson,
}: {
  id: string;
  document: string;
  accountId: string;
  onChange: (document: string) => void;
  /** Opens the JSON editor at a position (a statement the builder cannot show, or a document that does not parse). */
  onEditInJson: (position: StatementPosition) => void;
}) {
  const read = useMemo(() => readBuilderDocument(document), [document]);
  // A service picked for a block that has no action yet is not in the JSON (an empty Action list
  // names no service), so it is remembered here, by statement index, until an action is chosen.
  const [pendingServices, setPendingServices] = useState<Record<number, string>>({});
  const [addedIndex, setAddedIndex] = useState<number | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  if (!read.ok) {
    return (
      <div
        className="flex flex-col items-start gap-3 rounded-md border border-amber-300 bg-amber-50 p-4"
        role="alert"
      >
        <p className="text-sm text-slate-900">
          The visual editor cannot show this policy: the JSON does not parse ({read.message}). Fix it in the
          JSON editor; nothing has been changed.
        </p>
        <Button variant="secondary" size="sm" onClick={() => onEditInJson(read.position)}>
          Edit in JSON
        </Button>
      </div>
    );
  }

  const statements = read.statements;
  return (
    <div className="flex flex-col gap-4" data-testid="visual-builder">
      {statements.length === 0 ? (
        <p className="text-sm text-slate-700">
          This policy has no permissions yet. Add one to choose a service and its actions.
        </p>
      ) : null}
      {statements.map((statement, index) => {
        const number = index + 1;
        if (statement.kind === 'json') {
          const headingId = `${id}-statement-${index}-title`;
          return (
            <section
              key={index}
              aria-labelledby={headingId}
              className="flex flex-col gap-2 rounded-lg border border-slate-300 bg-slate-50 p-4"
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h4 id={headingId} className="text-base font-semibold text-slate-900">
                  Statement {number}: shown as JSON
                </h4>
                <Button
                  variant="secondary"
                  size="sm"
                  onClick={() => onEditInJson(statement.position)}
                  aria-label={`Edit statement ${number} in JSON`}
                >
                  Edit in JSON
                </Button>
              </div>
              <p className="text-sm text-slate-700">
                The visual editor cannot show this statement because {statement.reason}. It is kept exactly as
                written.
              </p>
              <CodeViewer json={statement.text} label={`Statement ${number} (JSON)`} maxHeight="max-h-48" />
            </section>
          );
        }
        const pending = pendingServices[index];
        const block =
          statement.block.service || !pending ? statement.block : { ...statement.block, service: pending };
        return (
          <BuilderBlockEditor
            key={index}
            id={`${id}-block-${index}`}
            number={number}
            block={block}
            accountId={accountId}
            isNew={addedIndex === index}
            onChange={(next, actionOrder) => {
              setPendingServices((previous) => ({
                ...previous,
                [index]: next.actions.length === 0 ? next.service : '',
              }));
              onChange(replaceStatement(document, index, next, actionOrder));
            }}
            onRemove={() => {
              setPendingServices((previous) =>
                Object.fromEntries(
                  Object.entries(previous)
                    .filter(([at]) => Number(at) !== index)
                    .map(([at, service]) => [Number(at) > index ? Number(at) - 1 : Number(at), service]),
                ),
              );
              setAddedIndex(null);
              onChange(removeStatement(document, index));
              // The block and its Remove button are gone: focus goes to the next thing to do.
              addButton.current?.focus();
            }}
          />
        );
      })}
      <div>
        <Button
          ref={addButton}
          variant="secondary"
          onClick={() => {
            setAddedIndex(statements.length);
            onChange(appendStatement(document, emptyBlock()));
          }}
        >
          Add more permissions
        </Button>
      </div>
    </div>
  );
}
