// Approves a request through `lib/requests` (`approveRequest`, with the portal's own preflight
// against the target account), as the approver with this e-mail: there is no approval screen yet
// (the approvals issue builds it), so the aws-mode wizard spec drives the approval through the lib
// in a process of its own, on the portal's database and with the portal's environment. The portal's
// provisioning worker then picks the queued job up.
//
//   node --conditions=react-server --import tsx/esm e2e/harness/approve-request.ts <email> <request-id>
//
// Prints one JSON line: `{"ok":true,"state":"approved"}` or `{"ok":false,"code":…,"message":…}`.
import { acknowledgementItems } from '@/lib/requests/assess';
import { approveRequest } from '@/lib/requests/approve';
import { getRequest } from '@/lib/requests/requests';
import { authDb } from '@/lib/auth/db';
import { loadPrincipal } from '@/lib/auth/users';
import { getEnv } from '@/lib/env';

async function main(): Promise<{ ok: boolean; [key: string]: unknown }> {
  const [email, requestId] = process.argv.slice(2);
  if (!email || !requestId)
    return { ok: false, code: 'usage', message: 'approve-request <email> <request-id>' };
  const db = await authDb();
  const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (!user) return { ok: false, code: 'not_found', message: `nobody signed in as ${email} yet` };
  const principal = await loadPrincipal(db, getEnv(), user.id);
  if (!principal) return { ok: false, code: 'not_found', message: `no principal for ${email}` };
  const detail = await getRequest(principal, requestId);
  if (!detail.ok) return { ok: false, code: detail.code, message: detail.message };
  const { request } = detail.value;
  const approved = await approveRequest(principal, {
    requestId,
    specSha256: request.specSha256,
    expectedVersion: request.version,
    comment: 'Approved by the aws-mode wizard end-to-end test',
    acknowledged: acknowledgementItems(request).map((item) => item.key),
  });
  if (!approved.ok) return { ok: false, code: approved.code, message: approved.message };
  return { ok: true, state: approved.value.request.state, isFinal: approved.value.isFinal };
}

main().then(
  (outcome) => {
    console.log(JSON.stringify(outcome));
    process.exit(outcome.ok ? 0 : 1);
  },
  (error: unknown) => {
    console.log(JSON.stringify({ ok: false, code: 'error', message: String(error) }));
    process.exit(1);
  },
);
