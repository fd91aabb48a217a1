import { guardReadRoute, searchParamsObject } from '@/lib/auth/read-route';
import { exportAuditLog } from '@/lib/requests/audit-log';
import { resultResponse } from '@/lib/result';

/** `rolesmith-audit-20261208-0112.csv`: the time the export began, UTC. */
function fileName(now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `rolesmith-audit-${stamp}.csv`;
}

/**
 * `GET /api/audit/export?request=&actor=&state=`: every audit event matching the audit log's
 * filters (the same URL parameters as `/audit`), newest first, as a CSV download, streamed (not
 * capped). Admins only (403 for others, 401 signed out); bad filters are a 400 with field errors.
 * Cells that a spreadsheet would take for a formula are escaped (see `lib/csv.ts`).
 */
export async function GET(request: Request): Promise<Response> {
  const guard = await guardReadRoute(request);
  if (!guard.ok) return guard.response;
  const exported = await exportAuditLog(guard.principal, searchParamsObject(request));
  if (!exported.ok) return resultResponse(exported);
  const records = exported.value;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await records.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await records.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName(new Date())}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
