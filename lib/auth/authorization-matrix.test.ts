import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { removeTargetAccount, saveTargetAccount } from '@/lib/accounts/accounts';
import { grantAssignment, revokeAssignment } from '@/lib/auth/assignments';
import type { Principal } from '@/lib/auth/principal';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { endOwnSessions, endPersonSessions, startSession } from '@/lib/auth/server-sessions';
import { guardAction } from '@/lib/auth/session';
import { loadPrincipal, seedSandboxPeopleInto, upsertSignedInUser } from '@/lib/auth/users';
import { parseEnv, resetEnvForTests } from '@/lib/env';
import { getGuardrails, updateGuardrails } from '@/lib/requests/guardrails-store';
import type { Result } from '@/lib/result';
import type { Harness } from '@/lib/sandbox/test-harness';
import { inRequest } from '@/lib/testing/next-request';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import type { AccountIam } from '@/lib/wizard/account-reads';

// Next's request scope needs AsyncLocalStorage on globalThis before Next loads (its server sets it
// at start-up); without it `cookies()` and `headers()` can never see a request.
vi.hoisted(() => {
  const hooks = process.getBuiltinModule('node:async_hooks');
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= hooks.AsyncLocalStorage;
});

/*
 * The authorization matrix. Every server action (every export of a 'use server' file under app/,
 * components/ or lib/) and every route handler (every HTTP method exported by app/**\/route.ts) is
 * discovered from the code; each must have a row below, or this test fails.
 *
 * Why at the guard and lib level: the lib functions and the lib/auth guards are the checks (pages,
 * layouts and the proxy are not), so each row names the guard its entry point calls first (checked
 * in the source) and probes the lib function it delegates to with real principals built from the
 * database, for five signed-in callers. The anonymous caller is checked by calling each entry point
 * that is not public itself (the exported action or route handler) in a Next request scope with the
 * portal's Origin and no session cookie: it must be denied. The end-to-end specs (e2e/auth-security.spec.ts) call every action
 * and route over HTTP against the production build for the origin check, anonymous callers and
 * spoofed headers.
 */

type Persona = 'anonymous' | 'requester' | 'otherRequester' | 'approver' | 'otherAccountApprover' | 'admin';
type Decision = 'allow' | 'deny';

/** The guard an entry point calls first, and what it decides for an anonymous caller. */
const guards = {
  guardAction: { call: /\bguardAction\(\)/, anonymous: 'deny' },
  // The action wrapper (lib/auth/action.ts): guardAction, then the portal role named first.
  runAction: { call: /\brunAction\(\s*'(signedIn|approver|admin)'/, anonymous: 'deny' },
  requirePrincipal: { call: /\brequirePrincipal\(\)/, anonymous: 'deny' },
  requireAdmin: { call: /\brequireAdmin\(\)/, anonymous: 'deny' },
  guardRoute: { call: /\bguardRoute\(/, anonymous: 'deny' },
  // The read routes the UI calls while someone types: signed in, the read limit.
  guardReadRoute: { call: /\bguardReadRoute\(request\)/, anonymous: 'deny' },
  // Signing in and out: open to anyone, but origin-checked and rate limited.
  guardSignIn: { call: /\bguardSignIn\(/, anonymous: 'allow' },
  // The sign-in actions hand the form to lib/auth/sign-in.ts, whose functions call guardSignIn
  // before anything else (checked below).
  signIn: { call: /\bstart(Demo|Oidc)SignIn\(formDataToObject\(formData\)\)/, anonymous: 'allow' },
  // Auth.js's endpoints: open to anyone; POSTs are origin-checked and rate limited in the handler.
  authRoute: { call: /\bisSameOrigin\(env, request\.headers\)/, anonymous: 'allow' },
  // No guard at all: only for entry points listed in `unguarded` with the reason.
  none: { call: /(?:)/, anonymous: 'allow' },
} as const satisfies Record<string, { call: RegExp; anonymous: Decision }>;

interface Row {
  guard: keyof typeof guards;
  /** Who may call it (the note in the report lists these). */
  who: string;
  /** Decides allow/deny for a signed-in principal by calling the lib function the entry point uses. */
  probe: ((principal: Principal) => Promise<Decision>) | 'everyone';
  expected: Record<Exclude<Persona, 'anonymous'>, Decision>;
}

const everyone = {
  requester: 'allow',
  otherRequester: 'allow',
  approver: 'allow',
  otherAccountApprover: 'allow',
  admin: 'allow',
} as const;
const adminsOnly = {
  requester: 'deny',
  otherRequester: 'deny',
  approver: 'deny',
  otherAccountApprover: 'deny',
  admin: 'allow',
} as const;

function decided(result: Result<unknown>): Decision {
  return !result.ok &&
    (result.code === 'forbidden' || result.code === 'not_found' || result.code === 'unauthenticated')
    ? 'deny'
    : 'allow';
}

let probeCounter = 0;

/** Those who may see a submitted request in 444455556666: its requester, its approvers, admins. */
const requestViewers = {
  requester: 'allow',
  otherRequester: 'deny',
  approver: 'allow',
  otherAccountApprover: 'deny',
  admin: 'allow',
} as const;

/** Who sees a role the requester asked for in 444455556666 (approved by the approver, provisioned). */
const roleViewers = requestViewers;

let requesterRoleCreated: Promise<{ accountId: string; segments: string[] }> | null = null;

/** A role of the requester's, taken through submission, approval and provisioning (once). */
function requesterRole(): Promise<{ accountId: string; segments: string[] }> {
  requesterRoleCreated ??= (async () => {
    const { createAndSubmitRequest } = await import('@/lib/requests/requests');
    const { approveRequest } = await import('@/lib/requests/approve');
    const { acknowledgementItems } = await import('@/lib/requests/assess');
    const { markProvisioned, markProvisioning } = await import('@/lib/requests/provisioning-transitions');
    const { seedSandboxData } = await import('@/lib/accounts/seed');
    const { ok } = await import('@/lib/result');
    const requester = principals.get('requester');
    const approver = principals.get('approver');
    if (!requester || !approver) throw new Error('the principals are not loaded');
    await seedSandboxData();
    const request = await createAndSubmitRequest(requester, {
      kind: 'create',
      justification: 'authorization matrix',
      spec: {
        accountId: '444455556666',
        name: 'MatrixRole',
        path: '/matrix/',
        trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true },
      },
    });
    if (!request.ok) throw new Error(request.message);
    const approved = await approveRequest(
      approver,
      {
        requestId: request.value.id,
        specSha256: request.value.specSha256,
        acknowledged: acknowledgementItems(request.value).map((item) => item.key),
      },
      () => Promise.resolve(ok(null)),
    );
    if (!approved.ok) throw new Error(approved.message);
    await test.db.transaction().execute(async (tx) => {
      const started = await markProvisioning(tx, request.value.id);
      if (!started.ok) throw new Error(started.message);
      const done = await markProvisioned(tx, request.value.id);
      if (!done.ok) throw new Error(done.message);
    });
    return { accountId: '444455556666', segments: ['matrix', 'MatrixRole'] };
  })();
  return requesterRoleCreated;
}

/** The approvers of 444455556666 and admins (never the requester as such). */
const accountApprovers = { ...requestViewers, requester: 'deny' } as const;

let pendingRequest: Promise<string> | null = null;

/** A pending (submitted) create request of the requester's in 444455556666, made once. */
function matrixPendingRequest(): Promise<string> {
  pendingRequest ??= (async () => {
    const { seedSandboxData } = await import('@/lib/accounts/seed');
    const { createAndSubmitRequest } = await import('@/lib/requests/requests');
    const { justified, roleSpec } = await import('@/lib/requests/test-fixtures');
    const requester = principals.get('requester');
    if (!requester) throw new Error('the requester principal is not loaded');
    await seedSandboxData();
    const submitted = await createAndSubmitRequest(
      requester,
      await justified({
        kind: 'create',
        justification: 'authorization matrix',
        spec: roleSpec({ name: `MatrixProgress${Math.floor(Math.random() * 1e9)}` }),
      }),
    );
    if (!submitted.ok) throw new Error(`${submitted.message} ${JSON.stringify(submitted.fieldErrors)}`);
    return submitted.value.id;
  })();
  return pendingRequest;
}

const matrix: Record<string, Row> = {
  'app/(admin)/access/actions.ts#grantRoleAction': {
    guard: 'runAction',
    who: 'admins',
    probe: async (principal) => {
      probeCounter += 1;
      return decided(
        await grantAssignment(principal, {
          subjectKind: 'group',
          subject: `matrix-${probeCounter}`,
          role: 'approver',
        }),
      );
    },
    expected: adminsOnly,
  },
  'app/(admin)/access/actions.ts#revokeRoleAction': {
    guard: 'runAction',
    who: 'admins',
    probe: async (principal) => {
      probeCounter += 1;
      const granted = await grantAssignment(admin(), {
        subjectKind: 'group',
        subject: `matrix-${probeCounter}`,
        role: 'approver',
      });
      if (!granted.ok) throw new Error(granted.message);
      return decided(await revokeAssignment(principal, { assignmentId: granted.value.id }));
    },
    expected: adminsOnly,
  },
  'app/(admin)/accounts/actions.ts#saveTargetAccountAction': {
    guard: 'runAction',
    who: 'admins',
    probe: async (principal) => {
      probeCounter += 1;
      return decided(
        await saveTargetAccount(principal, {
          id: `9${String(probeCounter).padStart(11, '0')}`,
          alias: `matrix-${probeCounter}`,
          environment: 'test',
          color: 'F2B0A9',
          intent: 'create',
        }),
      );
    },
    expected: adminsOnly,
  },
  'app/(admin)/accounts/actions.ts#removeTargetAccountAction': {
    guard: 'runAction',
    who: 'admins (accounts no request names)',
    probe: async (principal) => {
      probeCounter += 1;
      const id = `9${String(probeCounter).padStart(11, '0')}`;
      const saved = await saveTargetAccount(admin(), {
        id,
        alias: `matrix-${probeCounter}`,
        environment: 'test',
        color: 'F2B0A9',
      });
      if (!saved.ok) throw new Error(saved.message);
      return decided(await removeTargetAccount(principal, { id }));
    },
    expected: adminsOnly,
  },
  'app/(admin)/guardrails/actions.ts#updateGuardrailsAction': {
    guard: 'runAction',
    who: 'admins',
    probe: async (principal) => {
      const stored = await getGuardrails();
      return decided(
        await updateGuardrails(principal, { guardrails: stored.guardrails, expectedVersion: stored.version }),
      );
    },
    expected: adminsOnly,
  },
  'app/(admin)/notifications/actions.ts#saveWebhookAction': {
    guard: 'runAction',
    who: 'admins',
    probe: async (principal) => decided(await saveMatrixWebhook(principal)),
    expected: adminsOnly,
  },
  'app/(admin)/notifications/actions.ts#sendTestWebhookAction': {
    guard: 'runAction',
    who: 'admins (sends one test notification to the configured webhook)',
    // The webhook points at a closed local port: the attempt fails at once, the call is allowed.
    probe: async (principal) => {
      const saved = await saveMatrixWebhook(admin());
      if (!saved.ok) throw new Error(saved.message);
      const { sendTestNotification } = await import('@/lib/notifications/webhook-settings');
      return decided(await sendTestNotification(principal, {}));
    },
    expected: adminsOnly,
  },
  'app/(portal)/roles/new/actions.ts#saveWizardDraftAction': {
    guard: 'runAction',
    who: 'any signed-in person (their own wizard drafts only)',
    probe: async (principal) => {
      const { saveWizardDraft } = await import('@/lib/wizard/drafts');
      return decided(await saveWizardDraft(principal, { step: 'trust', state: '{}' }));
    },
    expected: everyone,
  },
  'app/(portal)/roles/new/actions.ts#discardWizardDraftAction': {
    guard: 'runAction',
    who: "any signed-in person (their own wizard drafts only: another person's is not found)",
    // Discards a draft of the requester's: only the requester may.
    probe: async (principal) => {
      const { saveWizardDraft, discardWizardDraft } = await import('@/lib/wizard/drafts');
      const requester = principals.get('requester');
      if (!requester) throw new Error('the requester principal is not loaded');
      const saved = await saveWizardDraft(requester, { step: 'trust', state: '{}' });
      if (!saved.ok) throw new Error(saved.message);
      return decided(await discardWizardDraft(principal, { id: saved.value.id }));
    },
    expected: {
      requester: 'allow',
      otherRequester: 'deny',
      approver: 'deny',
      otherAccountApprover: 'deny',
      admin: 'deny',
    },
  },
  'app/(portal)/roles/new/actions.ts#submitWizardAction': {
    guard: 'runAction',
    who: 'any signed-in person (a request of their own, from their own wizard state)',
    probe: async (principal) => {
      const { submitWizard } = await import('@/lib/wizard/submit');
      return decided(await submitWizard(principal, { state: '{}' }));
    },
    expected: everyone,
  },
  'app/(portal)/requests/actions.ts#approveRequestAction': {
    guard: 'runAction',
    who: 'approvers of the request’s account and admins, never on their own request',
    // A specification hash that is not the request's: a caller who passes the checks of who may
    // approve is refused as `conflict` (allow), so nothing is approved or queued.
    probe: async (principal) => {
      const { approveRequest } = await import('@/lib/requests/approve');
      const request = await pendingRequestOfRequester();
      return decided(
        await approveRequest(
          principal,
          { requestId: request.id, specSha256: '0'.repeat(64), acknowledged: [] },
          () => Promise.resolve({ ok: true, value: null }),
        ),
      );
    },
    expected: {
      requester: 'deny',
      otherRequester: 'deny',
      approver: 'allow',
      otherAccountApprover: 'deny',
      admin: 'allow',
    },
  },
  'app/(portal)/requests/actions.ts#rejectRequestAction': {
    guard: 'runAction',
    who: 'approvers of the request’s account and admins, never on their own request',
    probe: async (principal) => {
      const { rejectRequest } = await import('@/lib/requests/approve');
      const request = await pendingRequestOfRequester();
      return decided(await rejectRequest(principal, { requestId: request.id, comment: 'matrix' }));
    },
    expected: {
      requester: 'deny',
      otherRequester: 'deny',
      approver: 'allow',
      otherAccountApprover: 'deny',
      admin: 'allow',
    },
  },
  'app/(portal)/requests/actions.ts#cancelRequestAction': {
    guard: 'runAction',
    who: 'the requester (and admins) while pending; the requester or an approver of the account once failed',
    probe: async (principal) => {
      const { cancelRequest } = await import('@/lib/requests/requests');
      const request = await pendingRequestOfRequester();
      return decided(await cancelRequest(principal, { requestId: request.id }));
    },
    expected: {
      requester: 'allow',
      otherRequester: 'deny',
      approver: 'deny',
      otherAccountApprover: 'deny',
      admin: 'allow',
    },
  },
  'app/(portal)/requests/actions.ts#addRequestCommentAction': {
    guard: 'runAction',
    who: 'whoever may see the request: its requester, the approvers of its account, admins',
    probe: async (principal) => {
      const { addRequestComment } = await import('@/lib/requests/comments');
      const request = await pendingRequestOfRequester();
      return decided(await addRequestComment(principal, { requestId: request.id, body: 'matrix' }));
    },
    expected: {
      requester: 'allow',
      otherRequester: 'deny',
      approver: 'allow',
      otherAccountApprover: 'deny',
      admin: 'allow',
    },
  },
  'app/signin/actions.ts#demoSignInAction': {
    guard: 'signIn',
    who: 'anyone, sandbox mode only (404 in aws mode)',
    probe: 'everyone',
    expected: everyone,
  },
  'app/signin/actions.ts#oidcSignInAction': {
    guard: 'signIn',
    who: 'anyone, aws mode only (404 in sandbox mode)',
    probe: 'everyone',
    expected: everyone,
  },
  'app/(auth)/actions.ts#signOutAction': {
    guard: 'guardSignIn',
    who: 'anyone (signs the caller out)',
    probe: 'everyone',
    expected: everyone,
  },
  'app/(admin)/access/actions.ts#signOutPersonAction': {
    guard: 'runAction',
    who: 'admins',
    probe: async (principal) => decided(await endPersonSessions(principal, { email: 'dave@acme.example' })),
    expected: adminsOnly,
  },
  'app/(auth)/actions.ts#signOutEverywhereAction': {
    guard: 'runAction',
    who: 'any signed-in person (ends their own sessions only)',
    probe: async (principal) => decided(await endOwnSessions(principal)),
    expected: everyone,
  },
  'app/sandbox/switchrole/actions.ts#switchRoleAction': {
    guard: 'runAction',
    who: 'any signed-in person with a sandbox IAM user (every demo person), sandbox mode only (not_found in aws mode)',
    // Switches to the seeded DemoReadOnly role (trusts 111122223333 with MFA) in a standalone emulator.
    probe: async (principal) => {
      const { startHarness } = await import('@/lib/sandbox/test-harness');
      const { switchSandboxRole } = await import('@/lib/sandbox/switch-role-session');
      const sandbox = await startHarness();
      try {
        const identity = principal.sandboxIdentity;
        const mfaCode = identity
          ? (sandbox.server.emulator.mfaCode(identity.accountId, identity.userName) ?? '')
          : '';
        const target = { endpoint: sandbox.server.endpoint, emulator: sandbox.server.emulator };
        return decided(
          await switchSandboxRole(
            principal,
            { account: '444455556666', roleName: 'DemoReadOnly', mfaCode },
            target,
          ),
        );
      } finally {
        await sandbox.close();
      }
    },
    expected: {
      requester: 'allow',
      otherRequester: 'allow',
      approver: 'allow',
      otherAccountApprover: 'deny',
      admin: 'allow',
    },
  },
  'app/api/auth/[...nextauth]/route.ts#GET': {
    guard: 'authRoute',
    who: 'anyone (Auth.js: OIDC callback, session, CSRF token; demo provider 404 in aws mode)',
    probe: 'everyone',
    expected: everyone,
  },
  'app/api/auth/[...nextauth]/route.ts#POST': {
    guard: 'authRoute',
    who: 'anyone with the portal Origin and an Auth.js CSRF token (sign-in, sign-out)',
    probe: 'everyone',
    expected: everyone,
  },
  'app/sandbox/aws/[[...path]]/route.ts#GET': {
    guard: 'none',
    who: 'anyone holding sandbox AWS keys (SigV4), sandbox mode only (404 in aws mode)',
    probe: 'everyone',
    expected: everyone,
  },
  'app/sandbox/aws/[[...path]]/route.ts#POST': {
    guard: 'none',
    who: 'anyone holding sandbox AWS keys (SigV4), sandbox mode only (404 in aws mode)',
    probe: 'everyone',
    expected: everyone,
  },
  'app/api/iam/services/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'any signed-in person (the IAM catalogue is public knowledge)',
    probe: async () => {
      const { searchServices } = await import('@/lib/wizard/catalogue-reads');
      return decided(await searchServices({ q: 'lambda' }));
    },
    expected: everyone,
  },
  'app/api/iam/services/[prefix]/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'any signed-in person',
    probe: async () => {
      const { getServiceDetails } = await import('@/lib/wizard/catalogue-reads');
      return decided(await getServiceDetails('lambda'));
    },
    expected: everyone,
  },
  'app/api/iam/validate/route.ts#POST': {
    guard: 'guardReadRoute',
    who: 'any signed-in person with the portal Origin (a read: validation as you type)',
    probe: async () => {
      const { validateWizardDocument } = await import('@/lib/wizard/validate-document');
      return decided(await validateWizardDocument({ kind: 'identity', document: '{}' }));
    },
    expected: everyone,
  },
  'app/api/accounts/[id]/role-name/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'any signed-in person (every target account is listed to everyone signed in)',
    probe: async () => {
      const { checkRoleNameAvailability } = await import('@/lib/wizard/account-reads');
      return decided(
        await checkRoleNameAvailability('444455556666', { name: 'matrix-role' }, await emulatorIam()),
      );
    },
    expected: everyone,
  },
  'app/api/accounts/[id]/policies/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'any signed-in person',
    probe: async () => {
      const { searchManagedPolicies } = await import('@/lib/wizard/account-reads');
      return decided(await searchManagedPolicies('444455556666', { q: 'ReadOnly' }, await emulatorIam()));
    },
    expected: everyone,
  },
  'app/api/accounts/[id]/policies/[...policy]/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'any signed-in person',
    probe: async () => {
      const { getManagedPolicyDetails } = await import('@/lib/wizard/account-reads');
      return decided(await getManagedPolicyDetails('444455556666', 'ReadOnlyAccess', await emulatorIam()));
    },
    expected: everyone,
  },
  'app/api/accounts/[id]/identity-providers/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'any signed-in person',
    probe: async () => {
      const { listIdentityProviders } = await import('@/lib/wizard/account-reads');
      return decided(await listIdentityProviders('444455556666', await emulatorIam()));
    },
    expected: everyone,
  },
  'app/api/wizard/preview/route.ts#POST': {
    guard: 'guardReadRoute',
    who: 'any signed-in person (a preview of the state they send; nothing stored)',
    probe: async () => {
      const { previewWizard } = await import('@/lib/wizard/preview');
      return decided(await previewWizard({ state: {} }));
    },
    expected: everyone,
  },
  'app/api/requests/[id]/spec/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'whoever may see the request: its requester, the approvers of its account, admins',
    // Reads a draft request of the requester's in 444455556666: a draft is not yet the approvers'
    // to see (lib/requests/visible.ts), so only its requester and admins may.
    probe: async (principal) => {
      const { createDraft, getRequest } = await import('@/lib/requests/requests');
      const requester = principals.get('requester');
      if (!requester) throw new Error('the requester principal is not loaded');
      const draft = await createDraft(requester, {
        kind: 'create',
        justification: 'authorization matrix',
        spec: {
          accountId: '444455556666',
          name: `MatrixSpec${Math.floor(Math.random() * 1e9)}`,
          trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true },
        },
      });
      if (!draft.ok) throw new Error(draft.message);
      return decided(await getRequest(principal, draft.value.id));
    },
    expected: {
      requester: 'allow',
      otherRequester: 'deny',
      approver: 'deny',
      otherAccountApprover: 'deny',
      admin: 'allow',
    },
  },
  'app/api/requests/[id]/progress/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'whoever may see the request: its requester, the approvers of its account, admins',
    // Reads the provisioning progress of a pending request of the requester's in 444455556666.
    probe: async (principal) => {
      const { getProvisioningProgress } = await import('@/lib/requests/progress');
      return decided(await getProvisioningProgress(principal, await matrixPendingRequest()));
    },
    expected: requestViewers,
  },
  'app/(portal)/requests/actions.ts#retryRequestAction': {
    guard: 'runAction',
    who: "approvers of the request's account and admins (a request they may see)",
    // Retries a pending request of the requester's in 444455556666: those allowed get a conflict
    // (it has not failed), the others forbidden or not found.
    probe: async (principal) => {
      const { retryRequest } = await import('@/lib/requests/approve');
      return decided(await retryRequest(principal, { requestId: await matrixPendingRequest() }));
    },
    expected: accountApprovers,
  },
  'app/(portal)/requests/actions.ts#rollbackRequestAction': {
    guard: 'runAction',
    who: "approvers of the request's account and admins (a request they may see)",
    probe: async (principal) => {
      const { rollbackRequest } = await import('@/lib/requests/approve');
      return decided(await rollbackRequest(principal, { requestId: await matrixPendingRequest() }));
    },
    expected: accountApprovers,
  },
  'app/api/audit/export/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'admins',
    probe: async (principal) => {
      const { exportAuditLog } = await import('@/lib/requests/audit-log');
      return decided(await exportAuditLog(principal, {}));
    },
    expected: adminsOnly,
  },
  'app/api/wizard/drafts/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'any signed-in person (lists their own wizard drafts only)',
    probe: async (principal) => {
      const { listWizardDrafts } = await import('@/lib/wizard/drafts');
      await listWizardDrafts(principal);
      return 'allow';
    },
    expected: everyone,
  },
  'app/api/wizard/drafts/[id]/route.ts#GET': {
    guard: 'guardReadRoute',
    who: "any signed-in person (their own wizard drafts only: another person's is not found)",
    // Reads a draft of the requester's: only the requester may.
    probe: async (principal) => {
      const { saveWizardDraft, getWizardDraft } = await import('@/lib/wizard/drafts');
      const requester = principals.get('requester');
      if (!requester) throw new Error('the requester principal is not loaded');
      const saved = await saveWizardDraft(requester, { step: 'trust', state: '{}' });
      if (!saved.ok) throw new Error(saved.message);
      return decided(await getWizardDraft(principal, saved.value.id));
    },
    expected: {
      requester: 'allow',
      otherRequester: 'deny',
      approver: 'deny',
      otherAccountApprover: 'deny',
      admin: 'deny',
    },
  },
  'app/api/roles/[account]/cloudformation/[...name]/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'whoever may see the role: the requester of its last request, the role users it names, approvers of its account, admins',
    probe: async (principal) => {
      const { getRoleDownload } = await import('@/lib/requests/role-downloads');
      const role = await requesterRole();
      return decided(await getRoleDownload(principal, role, 'cloudformation'));
    },
    expected: roleViewers,
  },
  'app/api/roles/[account]/terraform/[...name]/route.ts#GET': {
    guard: 'guardReadRoute',
    who: 'whoever may see the role: the requester of its last request, the role users it names, approvers of its account, admins',
    probe: async (principal) => {
      const { getRoleDownload } = await import('@/lib/requests/role-downloads');
      const role = await requesterRole();
      return decided(await getRoleDownload(principal, role, 'terraform'));
    },
    expected: roleViewers,
  },
  'app/(portal)/roles/[account]/[...name]/actions.ts#requestRoleDeletionAction': {
    guard: 'runAction',
    who: 'whoever may see the role: the requester of its last request, the role users it names, approvers of its account, admins',
    // A delete request of the requester's role; one that was created is cancelled at once, so the
    // next persona (and the other rows) find the role without an open request.
    probe: async (principal) => {
      const { cancelRequest, createAndSubmitRequest } = await import('@/lib/requests/requests');
      const role = await requesterRole();
      const created = await createAndSubmitRequest(principal, {
        kind: 'delete',
        accountId: role.accountId,
        roleName: role.segments.at(-1),
        justification: 'authorization matrix',
      });
      if (created.ok) {
        const cancelled = await cancelRequest(principal, { requestId: created.value.id });
        if (!cancelled.ok) throw new Error(cancelled.message);
      }
      return decided(created);
    },
    expected: roleViewers,
  },
  'app/(portal)/roles/[account]/[...name]/actions.ts#restoreRoleAction': {
    guard: 'runAction',
    who: 'approvers of the role’s account and admins',
    // The matrix's role exists only in the database: a caller who may restore it learns that it
    // was deleted outside Rolesmith (`conflict`, allow), so nothing is created.
    probe: async (principal) => {
      const { requestDriftRestore } = await import('@/lib/requests/drift-requests');
      const role = await requesterRole();
      return decided(
        await requestDriftRestore(principal, { accountId: role.accountId, roleName: role.segments.at(-1) }),
      );
    },
    expected: {
      requester: 'deny',
      otherRequester: 'deny',
      approver: 'allow',
      otherAccountApprover: 'deny',
      admin: 'allow',
    },
  },
  'app/(portal)/roles/[account]/[...name]/actions.ts#adoptLiveStateAction': {
    guard: 'runAction',
    who: 'whoever may see the role: the requester of its last request, the role users it names, approvers of its account, admins',
    probe: async (principal) => {
      const { requestDriftAdopt } = await import('@/lib/requests/drift-requests');
      const role = await requesterRole();
      return decided(
        await requestDriftAdopt(principal, { accountId: role.accountId, roleName: role.segments.at(-1) }),
      );
    },
    expected: roleViewers,
  },
  'app/api/health/route.ts#GET': {
    guard: 'none',
    who: 'anyone (health check, reveals no data)',
    probe: 'everyone',
    expected: everyone,
  },
};

/** Entry points whose first check is not a lib/auth guard, with the reason. */
const unguarded: Record<string, string> = {
  'app/api/health/route.ts#GET': 'a read-only health check for load balancers: no session, no data',
  'app/sandbox/aws/[[...path]]/route.ts#GET':
    'the sandbox IAM/STS emulator: the AWS SDK authenticates with SigV4 signatures, not the session; 404 in aws mode',
  'app/sandbox/aws/[[...path]]/route.ts#POST':
    'the sandbox IAM/STS emulator: the AWS SDK authenticates with SigV4 signatures, not the session; 404 in aws mode',
};

const root = path.resolve(import.meta.dirname, '..', '..');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** The source of one exported function: from its `export` to the next top-level `export`. */
function exportedSource(source: string, name: string): string {
  const start = source.search(
    new RegExp(`export\\s+(async\\s+)?(function\\s+${name}\\b|const\\s+${name}\\b)`),
  );
  if (start < 0) return '';
  const rest = source.slice(start + 1);
  const next = rest.search(/\nexport\s/);
  return next < 0 ? rest : rest.slice(0, next);
}

function discoverEntryPoints(): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of ['app', 'components', 'lib']) {
    for (const file of walk(path.join(root, dir))) {
      if (!/\.tsx?$/.test(file) || file.endsWith('.test.ts')) continue;
      const source = readFileSync(file, 'utf8');
      const relative = path.relative(root, file);
      if (/^\s*(['"])use server\1/.test(source)) {
        for (const match of source.matchAll(/export\s+(?:async\s+)?(?:function|const)\s+(\w+)/g)) {
          found.set(`${relative}#${match[1]}`, exportedSource(source, match[1] ?? ''));
        }
      }
      if (dir === 'app' && /\/route\.tsx?$/.test(file)) {
        for (const match of source.matchAll(
          /export\s+(?:async\s+)?(?:function|const)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g,
        )) {
          found.set(`${relative}#${match[1]}`, source);
        }
      }
    }
  }
  return found;
}

const entryPoints = discoverEntryPoints();

const portal = 'http://localhost:3000';
const authSecret = 'matrix-secret-'.padEnd(48, 'x');

/** Same-origin request headers (so the origin check passes), with or without a session cookie. */
async function requestHeaders(sessionUserId?: string): Promise<Headers> {
  const headers = new Headers({
    host: 'localhost:3000',
    origin: portal,
    'next-action': 'matrix',
    'x-forwarded-for': '198.51.100.9',
  });
  if (sessionUserId) {
    const sid = await startSession(test.db, sessionUserId);
    const token = await encode({
      token: { sub: sessionUserId, signedInAt: Math.floor(Date.now() / 1000), sid },
      secret: authSecret,
      salt: 'authjs.session-token',
    });
    headers.set('cookie', `authjs.session-token=${token}`);
  }
  return headers;
}

/** Whether a thrown error is Next's redirect (to the sign-in page) or not-found. */
function isNextDenial(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return (
    typeof digest === 'string' &&
    (digest.startsWith('NEXT_REDIRECT') || digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;404'))
  );
}

/** Calls an entry point as an anonymous caller (no session cookie, the portal's own Origin). */
async function callAnonymously(key: string): Promise<Decision> {
  const [file = '', name = ''] = key.split('#');
  const loaded = (await import(/* @vite-ignore */ path.join(root, file))) as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  const entry = loaded[name];
  if (typeof entry !== 'function') throw new Error(`${key} is not a function`);
  const headers = await requestHeaders();
  let outcome: unknown;
  try {
    outcome = await inRequest(headers, () =>
      /\/route\.tsx?$/.test(file)
        ? entry(
            new Request(new URL('/matrix', portal), {
              method: name,
              headers,
              ...(['GET', 'HEAD'].includes(name) ? {} : { body: '' }),
            }),
            {
              params: Promise.resolve({}),
            },
          )
        : entry(null, new FormData()),
    );
  } catch (error) {
    if (isNextDenial(error)) return 'deny';
    throw error;
  }
  if (outcome instanceof Response)
    return outcome.status === 401 || outcome.status === 403 || outcome.status === 404 ? 'deny' : 'allow';
  return decided(outcome as Result<unknown>);
}

let test: TestDatabase;
let emulator: Promise<Harness> | null = null;

/**
 * The wizard's account reads against a standalone emulator (started once, on first use), as each
 * target account's provisioner, with the sandbox target accounts in the database.
 */
async function emulatorIam(): Promise<AccountIam> {
  emulator ??= (async () => {
    const { startHarness } = await import('@/lib/sandbox/test-harness');
    const { seedSandboxData } = await import('@/lib/accounts/seed');
    await seedSandboxData();
    return startHarness();
  })();
  const harness = await emulator;
  const { createAccountClients } = await import('@/lib/aws/account-clients');
  return (account) => {
    const keys = harness.server.emulator.describe().accounts.find((item) => item.id === account.id);
    if (!keys) throw new Error(`no sandbox account ${account.id}`);
    return Promise.resolve(
      createAccountClients(account.id, {
        endpoint: harness.server.endpoint,
        region: 'us-east-1',
        credentials: keys.provisioner,
        maxAttempts: 1,
      }).iam,
    );
  };
}
/** A new pending request of the requester's in 444455556666 (the approver's account, not Frank's). */
async function pendingRequestOfRequester(): Promise<{ id: string }> {
  const { createAndSubmitRequest } = await import('@/lib/requests/requests');
  const { seedSandboxData } = await import('@/lib/accounts/seed');
  await seedSandboxData();
  const requester = principals.get('requester');
  if (!requester) throw new Error('the requester principal is not loaded');
  probeCounter += 1;
  const submitted = await createAndSubmitRequest(requester, {
    kind: 'create',
    justification: 'authorization matrix',
    spec: {
      accountId: '444455556666',
      name: `MatrixPending${probeCounter}-${Math.floor(Math.random() * 1e9)}`,
      trustedEntity: { type: 'aws_account', accountId: '111122223333', requireMfa: true },
    },
  });
  if (!submitted.ok) throw new Error(`${submitted.message} ${JSON.stringify(submitted.fieldErrors)}`);
  return submitted.value;
}
/** Saves the webhook (to a closed port on this machine) over whatever version is stored. */
async function saveMatrixWebhook(principal: Principal): Promise<Result<unknown>> {
  const { getWebhookSettings, saveWebhookSettings } = await import('@/lib/notifications/webhook-settings');
  const current = await getWebhookSettings(admin());
  if (!current.ok) throw new Error(current.message);
  return saveWebhookSettings(principal, {
    url: 'http://127.0.0.1:9/matrix',
    enabled: 'on',
    events: ['approved'],
    secretChoice: 'generate',
    expectedVersion: current.value.version,
  });
}
const principals = new Map<Exclude<Persona, 'anonymous'>, Principal>();
function admin(): Principal {
  const carol = principals.get('admin');
  if (!carol) throw new Error('the admin principal is not loaded');
  return carol;
}

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = authSecret;
  resetEnvForTests();
  resetAuthSecretForTests();
  test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await upsertSignedInUser(test.db, {
    id: 'matrix-frank',
    email: 'frank@acme.example',
    emailVerified: true,
    name: 'Frank',
    groups: ['dev-approvers'],
  });
  await test.db
    .insertInto('portal_role_assignments')
    .values({
      subject_kind: 'group',
      subject: 'dev-approvers',
      role: 'approver',
      account_ids: ['777788889999'],
      granted_by: 'matrix',
    })
    .execute();
  const env = parseEnv({ ROLESMITH_MODE: 'sandbox' });
  const ids = {
    requester: 'demo-alice',
    otherRequester: 'demo-dave',
    approver: 'demo-bob',
    otherAccountApprover: 'matrix-frank',
    admin: 'demo-carol',
  } as const;
  for (const [persona, id] of Object.entries(ids) as [Exclude<Persona, 'anonymous'>, string][]) {
    const principal = await loadPrincipal(test.db, env, id);
    if (!principal) throw new Error(`no principal for ${id}`);
    principals.set(persona, principal);
  }
});
afterAll(async () => {
  if (emulator) await (await emulator).close();
  await test.close();
});

describe('authorization matrix', () => {
  it('has exactly one row for every server action and route handler in the code', () => {
    expect([...entryPoints.keys()].sort()).toEqual(Object.keys(matrix).sort());
  });

  it('the request scope of the anonymous checks carries the session cookie when there is one', async () => {
    const signedIn = await inRequest(await requestHeaders('demo-carol'), () => guardAction());
    expect(signedIn).toMatchObject({ ok: true, value: { id: 'demo-carol' } });
    const anonymous = await inRequest(await requestHeaders(), () => guardAction());
    expect(anonymous).toMatchObject({ ok: false, code: 'unauthenticated' });
  });

  it('runAction checks the portal role before the lib call, which gets the principal and the parsed form', async () => {
    const { runAction } = await import('@/lib/auth/action');
    const calls: { principal: string; input: unknown }[] = [];
    const record = (principal: Principal, input: unknown) => {
      calls.push({ principal: principal.id, input });
      return Promise.resolve({ ok: true as const, value: null });
    };
    const form = new FormData();
    form.append('tags.1.key', 'team');
    form.append('name', 'x');
    const asAlice = await inRequest(await requestHeaders('demo-alice'), () =>
      runAction('admin', record, form),
    );
    expect(asAlice).toMatchObject({ ok: false, code: 'forbidden' });
    const asBob = await inRequest(await requestHeaders('demo-bob'), () =>
      runAction('approver', record, form),
    );
    expect(asBob).toEqual({ ok: true, value: null });
    const anonymous = await inRequest(await requestHeaders(), () => runAction('signedIn', record, form));
    expect(anonymous).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect(calls).toEqual([
      { principal: 'demo-bob', input: { tags: [undefined, { key: 'team' }], name: 'x' } },
    ]);
  });

  it('each action names the portal role its row expects', () => {
    for (const [key, row] of Object.entries(matrix)) {
      if (row.guard !== 'runAction') continue;
      const role = /\brunAction\(\s*'(\w+)'/.exec(entryPoints.get(key) ?? '')?.[1];
      expect(role, key).toBe(
        row.expected.requester === 'allow'
          ? 'signedIn'
          : row.expected.approver === 'allow'
            ? 'approver'
            : 'admin',
      );
    }
  });

  it('the sign-in functions the sign-in actions call run the sign-in guard first', () => {
    const source = readFileSync(path.join(root, 'lib/auth/sign-in.ts'), 'utf8');
    for (const name of ['startDemoSignIn', 'startOidcSignIn']) {
      const body = exportedSource(source, name);
      expect(body, name).toMatch(/\bguardSignIn\(/);
      expect(body.search(/\bguardSignIn\(/), name).toBeLessThan(body.search(/\bsignIn\(/));
    }
  });

  it('the personas are who they should be', () => {
    expect(principals.get('requester')?.roles).toEqual({ requester: true, approver: null, admin: false });
    expect(principals.get('approver')?.roles.approver).toBe('all');
    expect(principals.get('otherAccountApprover')?.roles.approver).toEqual(['777788889999']);
    expect(principals.get('admin')?.roles.admin).toBe(true);
  });

  for (const [key, row] of Object.entries(matrix)) {
    describe(key, () => {
      it(`calls ${row.guard}`, () => {
        const source = entryPoints.get(key) ?? '';
        if (row.guard === 'none') {
          expect(unguarded[key], 'an unguarded entry point needs a reason').toBeDefined();
          expect(source).not.toMatch(/cookies\(|getPrincipal\(|getDb\(\)\s*\.\s*(insert|update|delete)/);
          return;
        }
        expect(source).toMatch(guards[row.guard].call);
      });

      it(`anonymous → ${guards[row.guard].anonymous}`, async () => {
        expect(guards[row.guard].anonymous).toBe(row.probe === 'everyone' ? 'allow' : 'deny');
        // Public entry points (sign-in, sign-out, Auth.js, health, the emulator) are open by design.
        if (guards[row.guard].anonymous === 'allow') return;
        expect(await callAnonymously(key)).toBe('deny');
      });

      for (const persona of Object.keys(row.expected) as Exclude<Persona, 'anonymous'>[]) {
        it(`${persona} → ${row.expected[persona]}`, async () => {
          const principal = principals.get(persona);
          if (!principal) throw new Error(persona);
          const decision = row.probe === 'everyone' ? 'allow' : await row.probe(principal);
          expect(decision).toBe(row.expected[persona]);
        });
      }
    });
  }
});
