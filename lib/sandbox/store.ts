import 'server-only';
import {
  constants as fsConstants,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The emulator's durable state: tables of plain JSON records kept in memory, made durable by an
 * append-only journal (one line per operation, fsync'd before the operation is acknowledged) and
 * compacted into a snapshot when the store opens. A torn last line (the process was killed while
 * writing it) belongs to an operation that was never acknowledged and is dropped. The journal file
 * is zero-filled ahead of its lines while open (cheaper fsyncs); a closed journal holds its lines only.
 *
 * One process at a time per folder: a lock file holds the owner's pid; a second live process gets
 * a clear error, a lock left by a killed process is taken over.
 */

export interface Tag {
  Key: string;
  Value: string;
}

export interface RoleRecord {
  accountId: string;
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createDate: string;
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  boundaryArn?: string;
  tags: Tag[];
  lastUsed?: { date: string; region: string };
  /** Inline policies in insertion order. */
  inlinePolicies: { name: string; document: string }[];
  attachedPolicies: string[];
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createDate: string;
}

export interface ManagedPolicyRecord {
  accountId: string;
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  versions: PolicyVersionRecord[];
  nextVersion: number;
  tags: Tag[];
}

export interface UserRecord {
  accountId: string;
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: string;
  inlinePolicies: { name: string; document: string }[];
  attachedPolicies: string[];
  boundaryArn?: string;
  tags: Tag[];
}

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  userName: string;
  createDate: string;
}

export interface MfaDeviceRecord {
  accountId: string;
  serialNumber: string;
  userName: string;
  /** Base32 TOTP seed. */
  seed: string;
  enableDate: string;
}

/** Temporary credentials issued by STS. */
export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
  accountId: string;
  roleName: string;
  roleId: string;
  roleArn: string;
  sessionName: string;
  /** `arn:aws:sts::<acct>:assumed-role/<name>/<session>`. */
  arn: string;
  sessionPolicy?: string;
  sessionPolicyArns: string[];
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  /** When MFA was proven for this chain of sessions, if ever. */
  mfaAuthenticatedAt?: string;
  /** The web identity behind the session, for web-identity context keys. */
  webIdentity?: { issuer: string; sub: string; aud: string };
  /** Whether the session was obtained by a role session (role chaining). */
  chained: boolean;
  issuedAt: string;
}

export interface OidcProviderRecord {
  accountId: string;
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: string;
  tags: Tag[];
}

export interface SamlProviderRecord {
  accountId: string;
  arn: string;
  name: string;
  metadataDocument: string;
  createDate: string;
  validUntil: string;
  tags: Tag[];
}

export interface InstanceProfileRecord {
  accountId: string;
  instanceProfileName: string;
  instanceProfileId: string;
  path: string;
  arn: string;
  createDate: string;
  /** Names of the roles in the profile (IAM allows one). */
  roleNames: string[];
  tags: Tag[];
}

export interface AccountRecord {
  id: string;
  alias: string;
  provisionerUserName: string;
}

export interface Tables {
  accounts: AccountRecord;
  roles: RoleRecord;
  policies: ManagedPolicyRecord;
  users: UserRecord;
  accessKeys: AccessKeyRecord;
  mfaDevices: MfaDeviceRecord;
  sessions: SessionRecord;
  oidcProviders: OidcProviderRecord;
  samlProviders: SamlProviderRecord;
  instanceProfiles: InstanceProfileRecord;
}

export type TableName = keyof Tables;

const tableNames: TableName[] = [
  'accounts',
  'roles',
  'policies',
  'users',
  'accessKeys',
  'mfaDevices',
  'sessions',
  'oidcProviders',
  'samlProviders',
  'instanceProfiles',
];

type Mutation = { t: TableName; k: string; v?: unknown };

/**
 * The journal's open flags. With fsync on, O_DSYNC (where the platform has it) makes each write
 * return only once its data is on disk, as write + fdatasync would, in one call instead of two.
 * Writes are positional (no O_APPEND): the journal is preallocated, see {@link Store.writeLoop}.
 */
function journalFlags(fsync: boolean): { flags: number; syncsOnWrite: boolean } {
  const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT;
  const dsync = fsConstants.O_DSYNC as number | undefined;
  return fsync && dsync !== undefined
    ? { flags: flags | dsync, syncsOnWrite: true }
    : { flags, syncsOnWrite: false };
}

/** How much journal space is zero-filled ahead of the writes at a time (at most the compaction size). */
const preallocateBytes = 1024 * 1024;

/** Journal size above which the store compacts while running (default). */
const defaultCompactAfterBytes = 64 * 1024 * 1024;

/** Thrown when another live process holds the data folder. */
export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';
}

/** The account part of a per-account key (`<accountId>/<name>`); the whole key when it has none. */
const accountOfKey = (key: string): string => {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
};

/** One table: records by key, with every change recorded for the journal. */
export class Table<T> {
  readonly rows = new Map<string, T>();
  /** Records by the account part of their key, kept once first asked for ({@link countInAccount}). */
  private perAccount: Map<string, number> | null = null;
  constructor(
    private readonly name: TableName,
    private readonly record: (mutation: Mutation) => void,
  ) {}

  get(key: string): T | undefined {
    return this.rows.get(key);
  }

  /** Stores a record. Records are treated as immutable once stored: put a changed copy. */
  put(key: string, value: T): void {
    if (this.perAccount && !this.rows.has(key)) this.adjustCount(key, 1);
    this.rows.set(key, value);
    this.record({ t: this.name, k: key, v: value });
  }

  delete(key: string): void {
    if (!this.rows.delete(key)) return;
    if (this.perAccount) this.adjustCount(key, -1);
    this.record({ t: this.name, k: key });
  }

  /** Sets or removes a record while loading the snapshot and journal (nothing is recorded). */
  restore(key: string, value: T | undefined): void {
    if (value === undefined) this.rows.delete(key);
    else this.rows.set(key, value);
    this.perAccount = null;
  }

  /**
   * How many records have keys `<accountId>/…` (the tables keyed by account and name: roles,
   * users, policies, instance profiles), without a scan: quotas are checked on every create.
   */
  countInAccount(accountId: string): number {
    if (!this.perAccount) {
      this.perAccount = new Map();
      for (const key of this.rows.keys()) this.adjustCount(key, 1);
    }
    return this.perAccount.get(accountId) ?? 0;
  }

  private adjustCount(key: string, by: number): void {
    const account = accountOfKey(key);
    this.perAccount!.set(account, (this.perAccount!.get(account) ?? 0) + by);
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }
}

export interface StoreOpenStats {
  /** Operations replayed from the journal. */
  replayed: number;
  /** Whether a torn (unacknowledged) last journal line was dropped. */
  droppedTornLine: boolean;
  /** Milliseconds spent loading and compacting. */
  openMs: number;
}

/** The tables and their journal; see the module comment. */
export class Store {
  readonly tables: { [K in TableName]: Table<Tables[K]> };
  private pending: Mutation[] = [];
  private batch: string[] = [];
  private batchSeq = 0;
  private durableSeq = 0;
  private writing = false;
  private waiters: { seq: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private journal: FileHandle | null = null;
  private closed = false;
  private writeError: unknown = null;
  /** Bytes of journal lines since the last compaction: where the next line is written. */
  private journalBytes = 0;
  /** Bytes of the journal file zero-filled ahead of the lines. */
  private journalAllocated = 0;
  private readonly journalFlags: { flags: number; syncsOnWrite: boolean };
  stats: StoreOpenStats = { replayed: 0, droppedTornLine: false, openMs: 0 };

  private constructor(
    readonly dir: string,
    private readonly fsync: boolean,
    private readonly compactAfterBytes: number,
  ) {
    this.journalFlags = journalFlags(fsync);
    const record = (mutation: Mutation) => this.pending.push(mutation);
    this.tables = Object.fromEntries(
      tableNames.map((name) => [name, new Table(name, record)]),
    ) as Store['tables'];
  }

  /**
   * Opens (creating if needed) the store in `dir`: takes the folder lock, loads the snapshot,
   * replays the journal, writes a fresh snapshot and starts a new journal. Throws
   * {@link StoreLockedError} when another live process holds the folder. `fsync: false` (only for
   * measuring what durability costs) acknowledges writes once written to the OS, without fsync.
   */
  static async open(
    dir: string,
    options: { fsync?: boolean; compactAfterBytes?: number } = {},
  ): Promise<Store> {
    const started = performance.now();
    mkdirSync(dir, { recursive: true });
    acquireLock(dir);
    const store = new Store(
      dir,
      options.fsync ?? true,
      options.compactAfterBytes ?? defaultCompactAfterBytes,
    );
    try {
      const snapshotPath = join(dir, 'snapshot.json');
      if (existsSync(snapshotPath)) {
        const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as Partial<
          Record<TableName, [string, unknown][]>
        >;
        for (const name of tableNames) {
          const table = store.tables[name] as Table<unknown>;
          for (const [key, value] of snapshot[name] ?? []) table.restore(key, value);
        }
      }
      const journalPath = join(dir, 'journal.log');
      if (existsSync(journalPath)) {
        // The journal ends in zero-filled space when the process stopped without closing it; a
        // line never contains a NUL (JSON escapes it), so the lines end at the first one.
        const text = readFileSync(journalPath, 'utf8');
        const end = text.indexOf('\0');
        const lines = (end === -1 ? text : text.slice(0, end)).split('\n');
        for (let index = 0; index < lines.length; index += 1) {
          const line = lines[index]!;
          if (line === '') continue;
          let mutations: Mutation[];
          try {
            mutations = JSON.parse(line) as Mutation[];
          } catch {
            // Only the last line can be torn: it was being written when the process died, so it was never acknowledged.
            store.stats.droppedTornLine = true;
            break;
          }
          for (const mutation of mutations) {
            (store.tables[mutation.t] as Table<unknown>).restore(mutation.k, mutation.v);
          }
          store.stats.replayed += 1;
        }
      }
      store.compact();
      store.journal = await open(journalPath, store.journalFlags.flags);
    } catch (error) {
      releaseLock(dir);
      throw error;
    }
    store.stats.openMs = performance.now() - started;
    return store;
  }

  /** Writes the whole state as the snapshot (atomically) and empties the journal. */
  private compact(): void {
    const snapshot: Record<string, [string, unknown][]> = {};
    for (const name of tableNames) snapshot[name] = [...(this.tables[name] as Table<unknown>).rows.entries()];
    const temporary = join(this.dir, 'snapshot.json.tmp');
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, JSON.stringify(snapshot));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, join(this.dir, 'snapshot.json'));
    const journalFd = openSync(join(this.dir, 'journal.log'), 'w');
    fsyncSync(journalFd);
    closeSync(journalFd);
    syncDirectory(this.dir);
  }

  /**
   * Ends one operation: its changes become one journal line (all or nothing after a crash).
   * Returns the sequence number to pass to {@link durable}.
   */
  endOperation(): number {
    if (this.pending.length > 0) {
      this.batch.push(JSON.stringify(this.pending));
      this.pending = [];
      this.batchSeq += 1;
    }
    return this.batchSeq;
  }

  /** Drops changes of an operation that failed part-way (operations validate before changing). */
  discardOperation(): void {
    if (this.pending.length > 0)
      throw new Error('An operation failed after changing state', { cause: this.pending });
  }

  /**
   * Resolves once every operation up to `seq` is on disk (written and fsync'd). Concurrent
   * operations share one write and one fsync (group commit).
   */
  durable(seq: number): Promise<void> {
    if (this.writeError)
      return Promise.reject(new Error('The sandbox journal cannot be written', { cause: this.writeError }));
    if (seq <= this.durableSeq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      void this.writeLoop();
    });
  }

  /**
   * Compacts while running, so that a long-lived sandbox keeps a short journal. The snapshot may
   * include operations still waiting for their journal line; replaying those lines afterwards is
   * harmless, because every journal entry writes or deletes a whole record.
   */
  private async compactNow(): Promise<void> {
    await this.journal?.close();
    this.journal = null;
    this.compact();
    this.journal = await open(join(this.dir, 'journal.log'), this.journalFlags.flags);
    this.journalBytes = 0;
    this.journalAllocated = 0;
  }

  /**
   * Zero-fills the journal ahead of its lines, and makes the new size durable once: a line then
   * overwrites space the file already has, and making it durable flushes its data only, where an
   * append would also commit the file's new size each time (several times slower, measured).
   */
  private async preallocate(needed: number): Promise<void> {
    const chunk = Math.min(preallocateBytes, this.compactAfterBytes);
    const size = Math.ceil(needed / chunk) * chunk;
    const zeros = Buffer.alloc(size - this.journalAllocated);
    await this.journal!.write(zeros, 0, zeros.length, this.journalAllocated);
    if (this.fsync && !this.journalFlags.syncsOnWrite) await this.journal!.datasync();
    this.journalAllocated = size;
  }

  /**
   * Writes the waiting lines as one batch (group commit), each batch after the previous one is on
   * disk, at the end of the lines written so far.
   */
  private async writeLoop(): Promise<void> {
    if (this.writing || !this.journal) return;
    this.writing = true;
    try {
      while (this.batch.length > 0) {
        const lines = this.batch;
        const upTo = this.batchSeq;
        this.batch = [];
        const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
        if (this.journalBytes + bytes.length > this.journalAllocated)
          await this.preallocate(this.journalBytes + bytes.length);
        await this.journal.write(bytes, 0, bytes.length, this.journalBytes);
        if (this.fsync && !this.journalFlags.syncsOnWrite) await this.journal.datasync();
        this.journalBytes += bytes.length;
        this.durableSeq = upTo;
        this.waiters = this.waiters.filter((waiter) => {
          if (waiter.seq > upTo) return true;
          waiter.resolve();
          return false;
        });
        if (this.journalBytes > this.compactAfterBytes) await this.compactNow();
      }
    } catch (error) {
      this.writeError = error;
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters = [];
    } finally {
      this.writing = false;
    }
  }

  /** Waits for outstanding writes, closes the journal and releases the folder lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.durable(this.endOperation()).catch(() => undefined);
    // Give back the zero-filled space: a closed journal holds its lines only.
    await this.journal?.truncate(this.journalBytes).catch(() => undefined);
    await this.journal?.close();
    this.journal = null;
    releaseLock(this.dir);
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process whose parent died too may linger as a zombie until it is reaped; signal 0
  // still reaches it, but it holds nothing (Linux: state Z or X in /proc/<pid>/stat).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

function acquireLock(dir: string): void {
  const lockPath = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, String(process.pid));
      fsyncSync(fd);
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new StoreLockedError(
          `The sandbox data folder ${dir} is in use by process ${owner}${owner === process.pid ? ' (this process)' : ''}. ` +
            'Stop that process or choose another folder (--data).',
        );
      }
      // The owner died without releasing the lock (e.g. kill -9): take the folder over.
      rmSync(lockPath, { force: true });
    }
  }
  throw new StoreLockedError(`Could not take the lock on the sandbox data folder ${dir}.`);
}

function releaseLock(dir: string): void {
  const lockPath = join(dir, 'lock');
  try {
    if (Number(readFileSync(lockPath, 'utf8').trim()) === process.pid) rmSync(lockPath, { force: true });
  } catch {
    // Already gone.
  }
}
