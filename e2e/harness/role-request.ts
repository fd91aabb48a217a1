// Creates and submits a request (create, change or delete), or cancels one, through `lib/requests`,
// as the person with this e-mail: the role summary's buttons that create change and delete requests
// belong to another issue, so the change/delete spec drives them through the lib in a process of its
// own, on the portal's database and with the portal's environment (as approve-request.ts does).
//
//   node --conditions=react-server --import tsx/esm e2e/harness/role-request.ts <email> submit '<input JSON>'
//   node --conditions=react-server --import tsx/esm e2e/harness/role-request.ts <email> cancel <request-id>
//
// `submit` takes what `createAndSubmitRequest` takes (`{ kind, spec | accountId+roleName,
// justification, flagJustifications? }`); a flag the submission asks a justification for is
// justified with the input's `justification`. Prints one JSON line:
// `{"ok":true,"id":…,"state":…}` or `{"ok":false,"code":…,"message":…}`.
import { authDb } from '@/lib/auth/db';
import { loadPrincipal } from '@/lib/auth/users';
import { getEnv } from '@/lib/env';
import { cancelRequest, createAndSubmitRequest } from '@/lib/requests/requests';

async function main(): Promise<{ ok: boolean; [key: string]: unknown }> {
  const [email, command, argument] = process.argv.slice(2);
  if (!email || !command || !argument)
    return {
      ok: false,
      code: 'usage',
      message: "role-request <email> submit '<input JSON>' | cancel <request-id>",
    };
  const db = await authDb();
  const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (!user) return { ok: false, code: 'not_found', message: `nobody signed in as ${email} yet` };
  const principal = await loadPrincipal(db, getEnv(), user.id);
  if (!principal) return { ok: false, code: 'not_found', message: `no principal for ${email}` };

  if (command === 'cancel') {
    const cancelled = await cancelRequest(principal, {
      requestId: argument,
      reason: 'Replaced by the end-to-end test',
    });
    return cancelled.ok
      ? { ok: true, id: cancelled.value.id, state: cancelled.value.state }
      : { ok: false, code: cancelled.code, message: cancelled.message };
  }
  if (command !== 'submit') return { ok: false, code: 'usage', message: `unknown command ${command}` };
  const input = JSON.parse(argument) as Record<string, unknown>;
  let submitted = await createAndSubmitRequest(principal, input);
  // Justify what the submission asks a justification for (field errors `flagJustifications.<key>`).
  if (!submitted.ok && submitted.fieldErrors) {
    const keys = Object.keys(submitted.fieldErrors)
      .filter((field) => field.startsWith('flagJustifications.'))
      .map((field) => field.slice('flagJustifications.'.length));
    if (keys.length > 0)
      submitted = await createAndSubmitRequest(principal, {
        ...input,
        flagJustifications: Object.fromEntries(keys.map((key) => [key, String(input.justification)])),
      });
  }
  return submitted.ok
    ? { ok: true, id: submitted.value.id, state: submitted.value.state }
    : { ok: false, code: submitted.code, message: submitted.message, fieldErrors: submitted.fieldErrors };
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
