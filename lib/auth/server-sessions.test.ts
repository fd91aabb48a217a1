import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/principal';
import {
  endPersonSessions,
  endSession,
  endUserSessions,
  hashSessionId,
  isSessionActive,
  sessionIdleSeconds,
  sessionMaxAgeSeconds,
  startSession,
} from '@/lib/auth/server-sessions';
import { upsertSignedInUser } from '@/lib/auth/users';
import { createTestPglite, type TestDatabase } from '@/lib/testing/pglite';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestPglite();
  for (const id of ['alice', 'bob'])
    await upsertSignedInUser(test.db, {
      id,
      email: `${id}@acme.example`,
      emailVerified: true,
      name: id,
      groups: [],
    });
});
afterAll(async () => {
  await test.close();
});
beforeEach(async () => {
  await test.db.deleteFrom('sessions').execute();
});

const t0 = new Date('2026-11-28T09:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe('server-side sessions', () => {
  it('stores only the hash of a random 256-bit id', async () => {
    const sid = await startSession(test.db, 'alice', t0);
    expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await startSession(test.db, 'alice', t0)).not.toBe(sid);
    const rows = await test.db.selectFrom('sessions').select(['id_hash', 'user_id']).execute();
    expect(rows).toContainEqual({ id_hash: hashSessionId(sid), user_id: 'alice' });
    expect(JSON.stringify(rows)).not.toContain(sid);
  });

  it('is active for its user until signed out, then never again', async () => {
    const sid = await startSession(test.db, 'alice', t0);
    expect(await isSessionActive(test.db, sid, 'alice', later(10))).toBe(true);
    expect(await isSessionActive(test.db, sid, 'bob', later(10))).toBe(false);
    expect(await isSessionActive(test.db, `${sid}x`, 'alice', later(10))).toBe(false);
    await endSession(test.db, sid, later(20));
    expect(await isSessionActive(test.db, sid, 'alice', later(21))).toBe(false);
  });

  it('ends after the idle timeout, and each use within it moves the timeout on', async () => {
    const sid = await startSession(test.db, 'alice', t0);
    const step = sessionIdleSeconds - 60;
    expect(await isSessionActive(test.db, sid, 'alice', later(step))).toBe(true);
    expect(await isSessionActive(test.db, sid, 'alice', later(2 * step))).toBe(true);
    expect(await isSessionActive(test.db, sid, 'alice', later(2 * step + sessionIdleSeconds))).toBe(false);
  });

  it('ends at its maximum age even when used all along', async () => {
    const sid = await startSession(test.db, 'alice', t0);
    for (let at = 1800; at < sessionMaxAgeSeconds; at += 1800)
      expect(await isSessionActive(test.db, sid, 'alice', later(at))).toBe(true);
    expect(await isSessionActive(test.db, sid, 'alice', later(sessionMaxAgeSeconds))).toBe(false);
  });

  it('writes the last-seen time at most once a minute', async () => {
    const sid = await startSession(test.db, 'alice', t0);
    await isSessionActive(test.db, sid, 'alice', later(30));
    const lastSeen = async () =>
      (
        await test.db
          .selectFrom('sessions')
          .select('last_seen_at')
          .where('id_hash', '=', hashSessionId(sid))
          .executeTakeFirstOrThrow()
      ).last_seen_at.toISOString();
    expect(await lastSeen()).toBe(t0.toISOString());
    await isSessionActive(test.db, sid, 'alice', later(90));
    expect(await lastSeen()).toBe(later(90).toISOString());
  });

  it('signing out everywhere ends every session of that user only', async () => {
    const [first, second, other] = [
      await startSession(test.db, 'alice', t0),
      await startSession(test.db, 'alice', t0),
      await startSession(test.db, 'bob', t0),
    ];
    expect(await endUserSessions(test.db, 'alice', later(5))).toBe(2);
    expect(await isSessionActive(test.db, first, 'alice', later(6))).toBe(false);
    expect(await isSessionActive(test.db, second, 'alice', later(6))).toBe(false);
    expect(await isSessionActive(test.db, other, 'bob', later(6))).toBe(true);
  });

  it('deletes sessions that ended over a day ago when someone signs in', async () => {
    const old = await startSession(test.db, 'alice', t0);
    await endSession(test.db, old, later(60));
    await startSession(test.db, 'bob', later(sessionMaxAgeSeconds + 25 * 3600));
    const hashes = (await test.db.selectFrom('sessions').select('id_hash').execute()).map(
      (row) => row.id_hash,
    );
    expect(hashes).not.toContain(hashSessionId(old));
    expect(hashes).toHaveLength(1);
  });

  it('deletes rate-limit windows of any key that started over a day ago when someone signs in', async () => {
    await test.db.deleteFrom('rate_limit_counters').execute();
    await test.db
      .insertInto('rate_limit_counters')
      .values([
        { key: 'sign-in:person:made-up-1', window_start: later(-2 * 86400), count: 1 },
        { key: 'mutation:ip:2001:db8::/64', window_start: later(-86400 - 60), count: 3 },
        { key: 'mutation:ip:203.0.113.7', window_start: later(-60), count: 2 },
      ])
      .execute();
    await startSession(test.db, 'alice', t0);
    const keys = (await test.db.selectFrom('rate_limit_counters').select('key').execute()).map(
      (row) => row.key,
    );
    expect(keys).toEqual(['mutation:ip:203.0.113.7']);
  });
});

describe('endPersonSessions', () => {
  const person = (admin: boolean): Principal => ({
    id: admin ? 'bob' : 'alice',
    email: admin ? 'bob@acme.example' : 'alice@acme.example',
    name: 'x',
    groups: [],
    roles: { requester: true, approver: null, admin },
    sandboxIdentity: null,
  });

  it('lets an admin sign a person out everywhere, by e-mail in any case', async () => {
    const sid = await startSession(test.db, 'alice');
    const own = await startSession(test.db, 'bob');
    expect(await endPersonSessions(person(true), { email: ' Alice@ACME.example ' })).toEqual({
      ok: true,
      value: { ended: 1 },
    });
    expect(await isSessionActive(test.db, sid, 'alice')).toBe(false);
    expect(await isSessionActive(test.db, own, 'bob')).toBe(true);
    expect(await endPersonSessions(person(true), { email: 'nobody@acme.example' })).toEqual({
      ok: true,
      value: { ended: 0 },
    });
  });

  it('refuses anyone else, and bad input, changing nothing', async () => {
    const sid = await startSession(test.db, 'bob');
    expect(await endPersonSessions(person(false), { email: 'bob@acme.example' })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await endPersonSessions(person(true), { email: 'not an e-mail' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { email: ['Enter an e-mail address such as alice@example.com'] },
    });
    expect(await isSessionActive(test.db, sid, 'bob')).toBe(true);
  });
});
