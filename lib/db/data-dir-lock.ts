import 'server-only';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** Raised when another live process already holds the embedded database folder. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly lockPath: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded database at ${lockPath.replace(/\.lock$/, '')} is in use by another Rolesmith process (pid ${ownerPid}). ` +
        'PGlite serves one process at a time: stop that process, or set DATABASE_URL so that several processes share a PostgreSQL server.',
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read the database lock file ${lockPath}`, { cause: error });
  }
}

/**
 * Takes the lock file `<dir>.lock` for this process, so that a second process opening the same
 * PGlite folder is refused instead of corrupting it. A lock left by a dead process is taken over.
 * Returns a function that releases the lock (it is also released when the process exits).
 *
 * @throws {DataDirLockedError} when a live process other than this one holds the lock.
 */
export function lockDataDir(dir: string): () => void {
  const lockPath = `${dir}.lock`;
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      const release = () => {
        process.off('exit', release);
        if (readOwner(lockPath) === process.pid) {
          try {
            unlinkSync(lockPath);
          } catch {
            // Already gone: nothing to release.
          }
        }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`Cannot create the database lock file ${lockPath}`, { cause: error });
      }
    }
    const owner = readOwner(lockPath);
    if (owner !== null && owner !== process.pid && isAlive(owner))
      throw new DataDirLockedError(lockPath, owner);
    // Stale (dead owner, or unreadable half-written file): remove it and try again.
    try {
      unlinkSync(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`Cannot remove the stale database lock file ${lockPath}`, { cause: error });
      }
    }
  }
  throw new Error(`Cannot take the database lock file ${lockPath}: it keeps changing`);
}
