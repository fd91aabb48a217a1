import { Badge } from '@/components/ui/badge';
import { AcknowledgeCheckbox } from '@/components/requests/acknowledgements';
import { severityLabel, severityTone } from '@/components/requests/request-words';
import {
  fieldInWords,
  findingTitle,
  justificationKeyOf,
  type AcknowledgementItem,
} from '@/lib/requests/assess';
import type { RoleRequest } from '@/lib/requests/model';

interface ShownItem {
  key: string;
  severity: string;
  title: string;
  explanation: string;
  /** Where it stands, in words. */
  where: string;
  pointers: string[];
  needsAcknowledgement: boolean;
}

/** Every finding and risk flag worth an approver's eyes: those to acknowledge first, then the rest. */
function shownItems(request: RoleRequest, items: readonly AcknowledgementItem[]): ShownItem[] {
  const acknowledged = new Set(items.map((item) => item.key));
  const shown: ShownItem[] = items.map((item) => ({ ...item, needsAcknowledgement: true }));
  for (const risk of request.risks) {
    const key = justificationKeyOf(risk);
    if (acknowledged.has(key)) continue;
    shown.push({
      ...risk,
      key,
      where: fieldInWords(risk.field, request.spec),
      needsAcknowledgement: false,
    });
  }
  for (const finding of request.findings) {
    const key = justificationKeyOf(finding);
    if (acknowledged.has(key) || finding.severity === 'suggestion') continue;
    shown.push({
      key,
      severity: finding.severity,
      title: findingTitle(finding.code),
      explanation: finding.message,
      where: fieldInWords(finding.field, request.spec),
      pointers: finding.path ? [finding.path] : [],
      needsAcknowledgement: false,
    });
  }
  return shown;
}

/**
 * The validator's findings and the risk flags, each with its severity, title, explanation, where
 * it stands (the field in words and the JSON pointer) and the requester's justification beside
 * it. With `decisionForm` (an approver who may decide), each item that needs acknowledging gets
 * its *Acknowledge* checkbox, posted with that form.
 */
export function FindingsSection({
  request,
  items,
  decisionForm,
}: {
  request: RoleRequest;
  items: readonly AcknowledgementItem[];
  decisionForm: string | null;
}) {
  const shown = shownItems(request, items);
  const suggestions = request.findings.filter((finding) => finding.severity === 'suggestion').length;
  return (
    <section aria-labelledby="findings-heading" className="flex flex-col gap-3">
      <h2 id="findings-heading" className="text-lg font-semibold text-slate-900">
        Findings and risk flags
      </h2>
      {items.length > 0 ? (
        <p className="text-sm text-slate-700">
          {items.length === 1
            ? 'One item needs an approver’s acknowledgement'
            : `${items.length} items need an approver’s acknowledgement`}{' '}
          before the request can be approved.
        </p>
      ) : null}
      {shown.length === 0 ? (
        <p className="text-sm text-slate-700">No security warnings, warnings or risk flags.</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {shown.map((item, index) => {
            const justification = request.flagJustifications[item.key];
            return (
              <li
                key={`${item.key}-${index}`}
                className={`flex flex-col gap-2 rounded-md border p-3 text-sm ${item.needsAcknowledgement ? 'border-red-200 bg-red-50/40' : 'border-slate-200'}`}
              >
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <p className="flex flex-wrap items-center gap-2">
                    <Badge tone={severityTone[item.severity] ?? 'neutral'}>
                      {severityLabel[item.severity] ?? item.severity}
                    </Badge>
                    <span className="font-semibold text-slate-900">{item.title}</span>
                  </p>
                  {item.needsAcknowledgement && decisionForm ? (
                    <AcknowledgeCheckbox
                      id={`acknowledge-${index}`}
                      itemKey={item.key}
                      itemTitle={`${item.title} (${item.where})`}
                      form={decisionForm}
                    />
                  ) : null}
                </div>
                <p className="text-slate-800">{item.explanation}</p>
                <p className="text-slate-700">
                  <span className="font-medium">Where: </span>
                  {item.where}
                  {item.pointers.length > 0 ? (
                    <>
                      {' '}
                      (
                      {item.pointers.map((pointer, at) => (
                        <span key={pointer}>
                          {at > 0 ? ', ' : ''}
                          <code className="font-mono text-xs">{pointer}</code>
                        </span>
                      ))}
                      )
                    </>
                  ) : null}
                </p>
                {justification ? (
                  <p className="border-l-4 border-slate-300 pl-2 text-slate-900">
                    <span className="font-medium">Requester’s justification: </span>
                    {justification}
                  </p>
                ) : item.needsAcknowledgement ? (
                  <p className="text-slate-700">No justification given.</p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {suggestions > 0 ? (
        <p className="text-sm text-slate-700">
          And {suggestions} {suggestions === 1 ? 'suggestion' : 'suggestions'} of the validator, which need no
          action.
        </p>
      ) : null}
    </section>
  );
}
