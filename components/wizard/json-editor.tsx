'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import type { JsonEditorProps } from '@/components/wizard/step-props';
import type { JsonEditorHandle } from '@/components/wizard/json-editor-codemirror';
import { useDocumentValidation } from '@/components/wizard/use-document-validation';
import type { Finding } from '@/lib/iam/findings';
import { formatJsonText } from '@/lib/wizard/format-json';

const severityWords: [Finding['severity'], string, string][] = [
  ['error', 'error', 'errors'],
  ['security_warning', 'security warning', 'security warnings'],
  ['warning', 'warning', 'warnings'],
  ['suggestion', 'suggestion', 'suggestions'],
];

/** "No findings", or "1 error, 2 warnings" (what the editor's status line and its live region say). */
export function findingsSummary(findings: readonly Finding[]): string {
  const parts = severityWords.flatMap(([severity, one, many]) => {
    const count = findings.filter((finding) => finding.severity === severity).length;
    return count === 0 ? [] : [`${count} ${count === 1 ? one : many}`];
  });
  return parts.length === 0 ? 'No findings' : parts.join(', ');
}

/** The label that names the editor: a `<label for={id}>` (given an id if it has none). */
function labelIdFor(id: string): string | null {
  const label = document.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(id)}"]`);
  if (!label) return null;
  if (!label.id) label.id = `${id}-label`;
  return label.id;
}

/**
 * The JSON policy editor. It renders a plain, labelled textarea at once and loads CodeMirror
 * (its own chunk, `json-editor-codemirror.ts`) when it is first rendered; once loaded, CodeMirror
 * takes the textarea's place, text and cursor. The document is validated on the server as the
 * person types (debounced; stale requests aborted) and each finding is marked at its range.
 *
 * For tests and the bench: the wrapper's `data-validated` is `true` once the markers shown are
 * those of the current text, and `data-validated-at` is the `performance.now()` at which they
 * were applied; the status line (`role="status"`) says the findings count.
 */
export function JsonEditor(props: JsonEditorProps) {
  const {
    id,
    ariaLabel,
    describedBy,
    invalid,
    value,
    onChange,
    kind,
    accountId,
    identityPolicyType,
    otherInlinePoliciesSize,
    onFindings,
    jumpTo,
    minLines = 12,
  } = props;
  const validation = useDocumentValidation(
    {
      kind,
      document: value,
      accountId,
      ...(identityPolicyType ? { identityPolicyType } : {}),
      ...(otherInlinePoliciesSize !== undefined ? { otherInlinePoliciesSize } : {}),
    },
    onFindings,
  );
  const hostRef = useRef<HTMLDivElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const handleRef = useRef<JsonEditorHandle | null>(null);
  const focusOnShowRef = useRef(false);
  /** Texts the editor emitted that the parent has not rendered back yet, oldest first. */
  const typedRef = useRef<string[]>([]);
  const onChangeRef = useRef(onChange);
  const [loaded, setLoaded] = useState(false);
  const [formatProblem, setFormatProblem] = useState<string | null>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const keysHintId = `${id}-keys`;
  const statusId = `${id}-status`;
  const describedByAll = [describedBy, statusId, keysHintId, formatProblem ? `${id}-format` : null]
    .filter(Boolean)
    .join(' ');
  const valueRef = useRef(value);
  // Invalid when the caller says so (a field error) or the validator found an error in this text.
  const isInvalid =
    invalid === true ||
    (validation.validatedText === value &&
      validation.findings.some((finding) => finding.severity === 'error'));

  useEffect(() => {
    onChangeRef.current = onChange;
    valueRef.current = value;
  });

  // Load CodeMirror once, when the editor is first rendered.
  useEffect(() => {
    let cancelled = false;
    void import('@/components/wizard/json-editor-codemirror').then(
      ({ createJsonEditor }) => {
        const host = hostRef.current;
        if (cancelled || !host) return;
        const textarea = textareaRef.current;
        const hadFocus = textarea !== null && document.activeElement === textarea;
        handleRef.current = createJsonEditor({
          parent: host,
          text: valueRef.current,
          ...(textarea
            ? { selection: { anchor: textarea.selectionStart, head: textarea.selectionEnd } }
            : {}),
          attributes: {},
          minLines,
          onChange: (text) => {
            typedRef.current.push(text);
            onChangeRef.current(text);
          },
        });
        // Focus moves over once the editor is shown (its host is hidden until the next render).
        focusOnShowRef.current = hadFocus;
        setLoaded(true);
      },
      (error: unknown) => {
        // The chunk could not load (offline, a new deployment): the textarea stays and works.
        console.warn('The code editor could not be loaded; the plain text box stays.', error);
      },
    );
    return () => {
      cancelled = true;
      handleRef.current?.destroy();
      handleRef.current = null;
    };
    // The editor is created once; later props reach it through the effects below.
  }, [minLines]);

  useEffect(() => {
    if (!loaded || !focusOnShowRef.current) return;
    focusOnShowRef.current = false;
    handleRef.current?.focus();
  }, [loaded]);

  // The content element's name, description and validity (a contenteditable is not labelable,
  // so the visible label is tied by aria-labelledby; clicking it focuses the editor).
  useEffect(() => {
    const handle = handleRef.current;
    if (!loaded || !handle) return;
    const labelId = ariaLabel ? null : labelIdFor(id);
    handle.setContentAttributes({
      id,
      ...(ariaLabel ? { 'aria-label': ariaLabel } : labelId ? { 'aria-labelledby': labelId } : {}),
      'aria-describedby': describedByAll,
      ...(isInvalid ? { 'aria-invalid': 'true' } : {}),
    });
    const label = labelId ? document.getElementById(labelId) : null;
    const focus = () => handle.focus();
    label?.addEventListener('click', focus);
    return () => label?.removeEventListener('click', focus);
  }, [loaded, id, ariaLabel, describedByAll, isInvalid]);

  // Text changed from outside (the visual builder, Format, a template) replaces the editor's. A
  // value the editor itself emitted is no change: when typing outruns rendering, the parent may
  // render an earlier emitted text after a later one was typed, and must not undo the keystroke.
  useEffect(() => {
    const typed = typedRef.current;
    const at = typed.lastIndexOf(value);
    if (at !== -1) {
      typed.splice(0, at + 1);
      return;
    }
    typed.length = 0;
    handleRef.current?.setText(value);
  }, [value, loaded]);

  // Markers: only findings about the exact text shown (positions refer to it).
  const upToDate = validation.validatedText === value;
  useEffect(() => {
    if (!loaded || !upToDate) return;
    handleRef.current?.setFindings(validation.findings);
    // Written straight on the element (no re-render): when the markers shown changed.
    if (wrapperRef.current) wrapperRef.current.dataset.validatedAt = String(performance.now());
  }, [loaded, upToDate, validation.findings]);

  useEffect(() => {
    if (!jumpTo) return;
    const handle = handleRef.current;
    if (handle) {
      handle.jumpTo(jumpTo.line, jumpTo.column);
      return;
    }
    const textarea = textareaRef.current;
    if (!textarea) return;
    const lines = textarea.value.split('\n');
    const offset =
      lines.slice(0, Math.max(0, jumpTo.line - 1)).reduce((sum, line) => sum + line.length + 1, 0) +
      Math.max(0, jumpTo.column - 1);
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
  }, [jumpTo]);

  function format() {
    const result = formatJsonText(value);
    if (!result.ok) {
      setFormatProblem(
        `Not formatted: the JSON does not parse at line ${result.line}, column ${result.column} (${result.message}). Fix it first; nothing was changed.`,
      );
      return;
    }
    setFormatProblem(null);
    if (result.text !== value) onChange(result.text);
  }

  const summary = `${findingsSummary(validation.findings)}${validation.omittedFindings > 0 ? ` (and ${validation.omittedFindings} more)` : ''}`;

  return (
    <div
      ref={wrapperRef}
      className="flex flex-col gap-2"
      data-testid="json-editor"
      data-validated={loaded && upToDate ? 'true' : 'false'}
      data-editor={loaded ? 'codemirror' : 'textarea'}
    >
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-slate-700">
          {/* Announced when the findings change, not at each keystroke. */}
          <span id={statusId} role="status">
            {validation.validatedText === null ? '' : summary}
          </span>
          {validation.problem ? (
            <span className="ml-2 text-amber-800">{validation.problem}</span>
          ) : !upToDate ? (
            <span className="ml-2 text-slate-500" aria-hidden="true">
              Checking…
            </span>
          ) : null}
        </p>
        <Button variant="secondary" size="sm" onClick={format}>
          Format
        </Button>
      </div>
      {loaded ? null : (
        <textarea
          ref={textareaRef}
          id={id}
          aria-label={ariaLabel}
          aria-describedby={describedByAll}
          aria-invalid={isInvalid || undefined}
          value={value}
          spellCheck={false}
          rows={minLines}
          onChange={(event) => onChange(event.target.value)}
          className="focus-ring w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-[13px] leading-5 text-slate-900"
        />
      )}
      <div ref={hostRef} hidden={!loaded} />
      <p id={keysHintId} className="text-xs text-slate-600">
        Tab indents. To leave the editor by keyboard, press Esc, then Tab (or Ctrl+M to turn Tab indenting
        off). Ctrl+Shift+M lists the findings; F8 goes to the next one.
      </p>
      {formatProblem ? (
        <p id={`${id}-format`} role="alert" className="text-sm text-red-700">
          {formatProblem}
        </p>
      ) : null}
    </div>
  );
}
