import fc from 'fast-check';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  discardWizardDraftAction,
  saveWizardDraftAction,
  submitWizardAction,
} from '@/app/(portal)/roles/new/actions';
import { GET as identityProvidersGet } from '@/app/api/accounts/[id]/identity-providers/route';
import { GET as policyGet } from '@/app/api/accounts/[id]/policies/[...policy]/route';
import { GET as policiesGet } from '@/app/api/accounts/[id]/policies/route';
import { GET as roleNameGet } from '@/app/api/accounts/[id]/role-name/route';
import { GET as serviceGet } from '@/app/api/iam/services/[prefix]/route';
import { GET as servicesGet } from '@/app/api/iam/services/route';
import { POST as validatePost } from '@/app/api/iam/validate/route';
import { GET as draftGet } from '@/app/api/wizard/drafts/[id]/route';
import { GET as draftsGet } from '@/app/api/wizard/drafts/route';
import { POST as previewPost } from '@/app/api/wizard/preview/route';
import { seedSandboxData } from '@/lib/accounts/seed';
import { resetAuthSecretForTests } from '@/lib/auth/secret';
import { startSession } from '@/lib/auth/server-sessions';
import { loadPrincipal, seedSandboxPeopleInto } from '@/lib/auth/users';
import { parseEnv, resetEnvForTests } from '@/lib/env';
import { startHarness, type Harness } from '@/lib/sandbox/test-harness';
import { expectWellFormedResult, storedStateFingerprint } from '@/lib/testing/fuzz-db';
import { inRequest } from '@/lib/testing/next-request';
import { emulatorAccountIam } from '@/lib/testing/fuzz-world';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';
import {
  draftFormFields,
  preview,
  prototypeIsPolluted,
  routeProbe,
  submitFormFields,
  TARGET_ACCOUNTS,
  type RouteProbe,
  type WizardRoute,
} from '@/lib/testing/wizard-arbitraries';
import {
  checkRoleNameAvailability,
  listIdentityProviders,
  searchManagedPolicies,
  type AccountIam,
} from '@/lib/wizard/account-reads';
import { saveWizardDraft } from '@/lib/wizard/drafts';
import { forgetCachedReads } from '@/lib/wizard/read-cache';

// Next's request scope needs AsyncLocalStorage on globalThis before Next loads.
vi.hoisted(() => {
  const hooks = process.getBuiltinModule('node:async_hooks');
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= hooks.AsyncLocalStorage;
});

/*
 * The wizard's route handlers and server actions under generated and mutated requests, called as
 * Next calls them (a request scope, each demo person's session cookie, the portal's Origin): no
 * answer is a server error (5xx or a throw), every answer is JSON or a `Result`, and nothing a
 * read or a refused action receives changes a stored row. The account reads are answered by the
 * standalone emulator through the wizard's read cache, primed before each batch (the in-process
 * emulator needs the portal's HTTP server; e2e/zz-wizard-fuzz.spec.ts covers that path).
 */

const portal = 'http://localhost:3000';
const authSecret = 'wizard-fuzz-secret-'.padEnd(48, 'x');
const peopleIds = ['demo-alice', 'demo-dave', 'demo-bob', 'demo-carol', 'demo-erin'];
let test: TestDatabase;
let harness: Harness;
let accountIam: AccountIam;
const sessionHeaders = new Map<string, Headers>();
let alicesDraftId = '';
const fed: Record<string, number> = {};

beforeAll(async () => {
  process.env.ROLESMITH_MODE = 'sandbox';
  process.env.AUTH_SECRET = authSecret;
  resetEnvForTests();
  resetAuthSecretForTests();
  test = await createTestPglite();
  await seedSandboxPeopleInto(test.db);
  await seedSandboxData();
  for (const id of peopleIds) {
    const sid = await startSession(test.db, id);
    const token = await encode({
      token: { sub: id, signedInAt: Math.floor(Date.now() / 1000), sid },
      secret: authSecret,
      salt: 'authjs.session-token',
    });
    sessionHeaders.set(
      id,
      new Headers({
        host: 'localhost:3000',
        origin: portal,
        'x-forwarded-for': '198.51.100.17',
        cookie: `authjs.session-token=${token}`,
      }),
    );
  }
  const alice = await loadPrincipal(test.db, parseEnv({ ROLESMITH_MODE: 'sandbox' }), 'demo-alice');
  if (!alice) throw new Error('demo-alice');
  const saved = await saveWizardDraft(alice, { step: 'trust', title: 'kept', state: '{"kept":true}' });
  if (!saved.ok) throw new Error(saved.message);
  alicesDraftId = saved.value.id;
  harness = await startHarness();
  accountIam = emulatorAccountIam(harness);
}, 120_000);

afterAll(async () => {
  forgetCachedReads();
  await harness?.close();
  await test?.close();
  console.info('wizard route fuzz: requests per entry point', fed);
});

/** Loads each target account's roles, policies and providers into the read cache (30 s). */
async function primeAccountReads(): Promise<void> {
  forgetCachedReads();
  for (const accountId of TARGET_ACCOUNTS) {
    for (const result of [
      await checkRoleNameAvailability(accountId, { name: 'prime' }, accountIam),
      await searchManagedPolicies(accountId, { type: 'customer' }, accountIam),
      await listIdentityProviders(accountId, accountIam),
    ]) {
      if (!result.ok) throw new Error(result.message);
    }
  }
}

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
const handlers: Record<WizardRoute, Handler> = {
  services: servicesGet,
  service: serviceGet,
  validate: validatePost,
  roleName: roleNameGet,
  policies: policiesGet,
  policy: policyGet,
  identityProviders: identityProvidersGet,
  drafts: draftsGet,
  draft: draftGet,
  preview: previewPost,
};

async function callRoute(probe: RouteProbe, personId: string): Promise<{ status: number; body: unknown }> {
  const headers = new Headers(sessionHeaders.get(personId));
  if (probe.body !== undefined) headers.set('content-type', 'application/json');
  const request = new Request(new URL(probe.path, portal), {
    method: probe.method,
    headers,
    ...(probe.body === undefined ? {} : { body: probe.body }),
  });
  const response = await inRequest(headers, () =>
    handlers[probe.route](request, { params: Promise.resolve(probe.params as never) }),
  );
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${probe.path} answered ${response.status} with no JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, body };
}

describe('wizard route handlers under generated requests', () => {
  it('answer every request below 500, as JSON, and change no stored row', async () => {
    await primeAccountReads();
    const before = await storedStateFingerprint(test.db);
    await fc.assert(
      fc.asyncProperty(
        routeProbe({ accountId: '444455556666', draftId: alicesDraftId }),
        fc.nat(),
        async (probe, who) => {
          const personId = peopleIds[who % peopleIds.length] ?? 'demo-alice';
          fed[probe.route] = (fed[probe.route] ?? 0) + 1;
          let answer: { status: number; body: unknown };
          try {
            answer = await callRoute(probe, personId);
          } catch (error) {
            throw new Error(`${probe.method} ${preview(probe.path)} threw: ${String(error)}`, {
              cause: error,
            });
          }
          if (answer.status >= 500)
            throw new Error(
              `${probe.method} ${preview(probe.path)} answered ${answer.status}: ${preview(answer.body)}`,
            );
          expect([200, 400, 404]).toContain(answer.status);
          if (answer.status !== 200) {
            const failure = answer.body as { error?: unknown; message?: unknown };
            expect(typeof failure.error).toBe('string');
            expect(typeof failure.message).toBe('string');
          }
          // Only Alice can read her draft.
          if (probe.route === 'draft' && probe.params.id === alicesDraftId)
            expect(answer.status).toBe(personId === 'demo-alice' ? 200 : 404);
          expect(prototypeIsPolluted()).toBe(false);
        },
      ),
      { numRuns: 330, endOnFailure: true },
    );
    expect(await storedStateFingerprint(test.db)).toBe(before);
  }, 120_000);
});

describe('wizard server actions under generated forms', () => {
  it('saveWizardDraftAction and discardWizardDraftAction answer with a Result; a refused form changes nothing', async () => {
    let saved = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(draftFormFields, fc.nat(), async (fields, who) => {
        const personId = peopleIds[who % peopleIds.length] ?? 'demo-alice';
        const headers = new Headers(sessionHeaders.get(personId));
        headers.set('next-action', 'wizard-fuzz');
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        const before = await storedStateFingerprint(test.db);
        fed.saveWizardDraftAction = (fed.saveWizardDraftAction ?? 0) + 1;
        const result = await inRequest(headers, () => saveWizardDraftAction(null, form));
        expectWellFormedResult(result, 'saveWizardDraftAction');
        expect(prototypeIsPolluted()).toBe(false);
        if (!result.ok) {
          refused += 1;
          expect(await storedStateFingerprint(test.db)).toBe(before);
          return;
        }
        saved += 1;
        expect(result.value.ownerId).toBe(personId);
        // Discard it again through the action (keeps each person under the drafts limit).
        const discard = new FormData();
        discard.append('id', result.value.id);
        fed.discardWizardDraftAction = (fed.discardWizardDraftAction ?? 0) + 1;
        const discarded = await inRequest(headers, async () => {
          try {
            return await discardWizardDraftAction(null, discard);
          } catch (error) {
            // revalidatePath needs Next's full render scope, which a test's request scope lacks;
            // the discard itself has run by then.
            if (String(error).includes('revalidatePath') || String(error).includes('static generation store'))
              return { ok: true as const, value: { id: result.value.id } };
            throw error;
          }
        });
        expect(discarded).toEqual({ ok: true, value: { id: result.value.id } });
      }),
      { numRuns: 100, endOnFailure: true },
    );
    expect(refused).toBeGreaterThan(20);
    expect(saved).toBeGreaterThan(10);
  }, 120_000);

  it('discardWizardDraftAction refuses ids that are not the caller’s, changing nothing', async () => {
    const before = await storedStateFingerprint(test.db);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(alicesDraftId),
          fc.uuid(),
          fc.string({ maxLength: 50 }),
          fc.constant('x'.repeat(100_000)),
        ),
        fc.integer({ min: 1, max: peopleIds.length - 1 }),
        async (id, who) => {
          const headers = new Headers(sessionHeaders.get(peopleIds[who] ?? 'demo-dave'));
          headers.set('next-action', 'wizard-fuzz');
          const form = new FormData();
          form.append('id', id);
          fed.discardWizardDraftAction = (fed.discardWizardDraftAction ?? 0) + 1;
          const result = await inRequest(headers, () => discardWizardDraftAction(null, form));
          expectWellFormedResult(result, 'discardWizardDraftAction');
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 40, endOnFailure: true },
    );
    expect(await storedStateFingerprint(test.db)).toBe(before);
  }, 120_000);

  it('submitWizardAction answers generated forms with a Result; a refused one stores nothing', async () => {
    let submitted = 0;
    await fc.assert(
      fc.asyncProperty(submitFormFields, fc.nat(), async (fields, who) => {
        const personId = peopleIds[who % peopleIds.length] ?? 'demo-alice';
        const headers = new Headers(sessionHeaders.get(personId));
        headers.set('next-action', 'wizard-fuzz');
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        const before = await storedStateFingerprint(test.db);
        fed.submitWizardAction = (fed.submitWizardAction ?? 0) + 1;
        let result: unknown;
        try {
          result = await inRequest(headers, () => submitWizardAction(null, form));
        } catch (error) {
          // revalidatePath needs Next's full render scope, which a test's request scope lacks: it
          // runs only after a request was created.
          if (!String(error).includes('static generation store')) throw error;
          submitted += 1;
          return;
        }
        expectWellFormedResult(result, 'submitWizardAction');
        expect(prototypeIsPolluted()).toBe(false);
        if (result.ok) submitted += 1;
        else expect(await storedStateFingerprint(test.db)).toBe(before);
      }),
      { numRuns: 60, endOnFailure: true },
    );
    // Valid forms are rare among the generated ones (none in some seeds), so acceptance is not
    // asserted here: lib/wizard/submit.test.ts and the e2e flows submit valid states every run.
    console.log(`submitWizardAction fuzz: ${submitted} of 60 forms became requests`);
  }, 120_000);
});
