// Named to run last in the sandbox project (files run in name order, one worker): its ~150 forms to
// the wizard's actions spend the demo people's per-minute mutation allowance, which a spec run right
// after it would meet as "Too many attempts".
import fc from 'fast-check';
import type { APIRequestContext } from '@playwright/test';
import {
  draftFormFields,
  preview,
  routeProbe,
  submitFormFields,
  type RouteProbe,
} from '../lib/testing/wizard-arbitraries';
import { expect, storedCookieHeader, test, type Person } from './fixtures';
import { callServerAction, discoverServerActions, type ServerAction } from './harness/aws-http';
import { personNames } from './sessions';

// The wizard's route handlers and server actions over HTTP against the production server, as the
// five demo people: some 200 generated and mutated requests to the read routes (the preview
// among them) and 100 forms to the wizard's actions (lib/testing/wizard-arbitraries.ts). No answer is a server error, and nothing
// a refused request sends changes what a person has stored (their drafts list, read back).

const actions = discoverServerActions();
const action = (name: string): ServerAction => {
  const found = actions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${name} not found in the build`);
  return found;
};

/**
 * The draft actions are in the build once a page imports them (the wizard shell's `/roles/new`);
 * until then the action test is skipped and the route test uses a draft id that belongs to nobody.
 */
const wizardActionNames = ['saveWizardDraftAction', 'discardWizardDraftAction', 'submitWizardAction'];
/** `/roles/new` imports the three actions, so the build must have them: a missing one fails the tests. */
const missingWizardActions = wizardActionNames.filter(
  (name) => !actions.some((candidate) => candidate.name === name),
);
const wizardActionsBuilt = missingWizardActions.length === 0;

/** Each person's client address, so that the per-IP mutation limit is not what the test meets. */
const addressOf = (person: Person) => `198.51.100.${40 + personNames.indexOf(person)}`;

/** The fields whose names a multipart form can carry (no C0 control characters). */
function withoutControlCharacterNames(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !/[\u0000-\u001f]/.test(name)));
}

/** Whether the form, as UTF-8, stays well under Next's 1 MB body limit for server actions. */
function withinServerActionBodyLimit(fields: Record<string, string>): boolean {
  const bytes = Object.entries(fields).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value) + 200,
    0,
  );
  return bytes < 900_000;
}

async function draftsOf(request: APIRequestContext): Promise<unknown> {
  const response = await request.get('/api/wizard/drafts');
  expect(response.status()).toBe(200);
  return ((await response.json()) as { drafts: unknown }).drafts;
}

test('the wizard routes answer ~200 generated requests without a server error or a change', async ({
  signedInAs,
  baseURL,
}) => {
  test.setTimeout(240_000);
  expect(missingWizardActions, 'wizard actions missing from the build').toEqual([]);
  if (!baseURL) throw new Error('baseURL');
  const requests = new Map<Person, APIRequestContext>();
  for (const person of personNames) requests.set(person, (await signedInAs(person)).request);
  const alice = requests.get('Alice') as APIRequestContext;
  // A draft of Alice's, which the others must not read.
  let draftId = '00000000-0000-4000-8000-00000000f022';
  if (wizardActionsBuilt) {
    const saved = await callServerAction(baseURL, action('saveWizardDraftAction'), {
      fields: { step: 'trust', title: 'wizard-fuzz kept', state: '{"kept":true}' },
      cookie: storedCookieHeader('Alice'),
      headers: { 'x-forwarded-for': addressOf('Alice') },
    });
    const id = /"id":"([0-9a-f-]{36})"/.exec(saved.body)?.[1];
    if (!id) throw new Error(`saving a draft failed: ${saved.status} ${saved.body.slice(0, 300)}`);
    draftId = id;
  }
  const before = new Map<Person, unknown>();
  for (const [person, request] of requests) before.set(person, await draftsOf(request));

  const statuses: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(
      routeProbe({ accountId: '444455556666', draftId }),
      fc.constantFrom(...personNames),
      async (probe: RouteProbe, person: Person) => {
        const request = requests.get(person) as APIRequestContext;
        const response =
          probe.method === 'GET'
            ? await request.get(probe.path, { maxRedirects: 0 })
            : await request.post(probe.path, {
                headers: { origin: baseURL, 'content-type': 'application/json' },
                data: probe.body ?? '',
                maxRedirects: 0,
              });
        const status = response.status();
        statuses[status] = (statuses[status] ?? 0) + 1;
        const text = await response.text();
        if (status >= 500)
          throw new Error(`${probe.method} ${preview(probe.path)} answered ${status}: ${text.slice(0, 300)}`);
        // Next answers a path it cannot route (e.g. a segment with an encoded NUL) with its 400/404 page.
        if (status === 200) expect(() => JSON.parse(text) as unknown).not.toThrow();
        if (wizardActionsBuilt && probe.route === 'draft' && probe.params.id === draftId)
          expect(status).toBe(person === 'Alice' ? 200 : 404);
      },
    ),
    { numRuns: 200, endOnFailure: true },
  );
  console.log('wizard route fuzz over HTTP, answers by status:', statuses);
  for (const [person, request] of requests) expect(await draftsOf(request)).toEqual(before.get(person));
  if (!wizardActionsBuilt) return;
  // Tidy: Alice's draft goes again.
  const discarded = await callServerAction(baseURL, action('discardWizardDraftAction'), {
    fields: { id: draftId },
    cookie: storedCookieHeader('Alice'),
    headers: { 'x-forwarded-for': addressOf('Alice') },
  });
  expect(discarded.body).toContain('"ok":true');
  expect(await draftsOf(alice)).not.toContainEqual(expect.objectContaining({ id: draftId }));
});

test('the wizard actions answer ~100 generated forms without a server error; a refused one changes nothing', async ({
  signedInAs,
  baseURL,
}) => {
  expect(missingWizardActions, 'wizard actions missing from the build').toEqual([]);
  test.setTimeout(240_000);
  if (!baseURL) throw new Error('baseURL');
  const requests = new Map<Person, APIRequestContext>();
  for (const person of personNames) requests.set(person, (await signedInAs(person)).request);
  const before = new Map<Person, unknown>();
  for (const [person, request] of requests) before.set(person, await draftsOf(request));
  const outcomes = { saved: 0, refused: 0 };
  await fc.assert(
    // Two kinds of form are left out over HTTP, as Next itself refuses them with a 500 before any
    // portal code runs and no browser form of the wizard sends them: a NUL in a multipart part's
    // name (busboy: "Malformed part header"), and a body over Next's 1 MB server-action limit (a
    // wizard draft is at most 256 KiB). In-process (Vitest) both are fuzzed against the lib.
    fc.asyncProperty(
      draftFormFields.map(withoutControlCharacterNames).filter(withinServerActionBodyLimit),
      fc.constantFrom(...personNames),
      async (fields, person: Person) => {
        const request = requests.get(person) as APIRequestContext;
        const cookie = storedCookieHeader(person);
        const headers = { 'x-forwarded-for': addressOf(person) };
        const listed = await draftsOf(request);
        const answer = await callServerAction(baseURL, action('saveWizardDraftAction'), {
          fields,
          cookie,
          headers,
        });
        if (answer.status >= 500)
          throw new Error(
            `saveWizardDraftAction answered ${answer.status} to ${preview(fields)}: ${answer.body.slice(0, 300)}`,
          );
        const id = /"ok":true,"value":\{"id":"([0-9a-f-]{36})"/.exec(answer.body)?.[1];
        if (!id) {
          outcomes.refused += 1;
          expect(answer.body).toContain('"ok":false');
          expect(await draftsOf(request)).toEqual(listed);
          return;
        }
        outcomes.saved += 1;
        const discarded = await callServerAction(baseURL, action('discardWizardDraftAction'), {
          fields: { id },
          cookie,
          headers,
        });
        expect(discarded.status).toBeLessThan(500);
        expect(discarded.body).toContain('"ok":true');
      },
    ),
    { numRuns: 70, endOnFailure: true },
  );
  console.log('wizard draft action fuzz over HTTP:', outcomes);
  expect(outcomes.refused).toBeGreaterThan(15);
  // Submit: a refused state stores nothing (the person's drafts stay as they were); a valid one
  // becomes a request.
  const submits = { submitted: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(
      submitFormFields.map(withoutControlCharacterNames).filter(withinServerActionBodyLimit),
      fc.constantFrom(...personNames),
      async (fields, person: Person) => {
        const request = requests.get(person) as APIRequestContext;
        const listed = await draftsOf(request);
        const answer = await callServerAction(baseURL, action('submitWizardAction'), {
          fields,
          cookie: storedCookieHeader(person),
          headers: { 'x-forwarded-for': addressOf(person) },
        });
        if (answer.status >= 500)
          throw new Error(
            `submitWizardAction answered ${answer.status} to ${preview(fields)}: ${answer.body.slice(0, 300)}`,
          );
        if (/"ok":true,"value":\{"requestId":"[0-9a-f-]{36}"/.test(answer.body)) {
          submits.submitted += 1;
          return;
        }
        submits.refused += 1;
        expect(answer.body).toContain('"ok":false');
        expect(await draftsOf(request)).toEqual(listed);
      },
    ),
    { numRuns: 30, endOnFailure: true },
  );
  console.log('wizard submit action fuzz over HTTP:', submits);
  expect(submits.refused).toBeGreaterThan(5);
  // Another person's draft ids, and ids that are none, are refused.
  for (const id of ['00000000-0000-4000-8000-000000000000', 'x'.repeat(5_000), '', '__proto__']) {
    const answer = await callServerAction(baseURL, action('discardWizardDraftAction'), {
      fields: { id },
      cookie: storedCookieHeader('Dave'),
      headers: { 'x-forwarded-for': addressOf('Dave') },
    });
    expect(answer.status).toBeLessThan(500);
    expect(answer.body).toContain('"ok":false');
  }
  for (const [person, request] of requests) expect(await draftsOf(request)).toEqual(before.get(person));
});
