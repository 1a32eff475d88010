import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite has no lock between processes: two processes on one data directory corrupt it. Every
 * `sada` process that opens the embedded database holds this lock file; a second one is told who
 * holds it instead of writing beside it.
 */

export interface LockHolder {
  pid: number;
  command: string;
  since: string;
  /** Set by `sada serve`, so that other commands can point at the running server. */
  url?: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.url ? ` at ${holder.url}` : '';
    super(
      `The data directory ${dataDir} is in use by "sada ${holder.command}" (process ${holder.pid}${where}, since ${holder.since}). ` +
        'The embedded database allows one process at a time: stop that process and run this again, ' +
        (holder.url ? `use the running server's API, ` : '') +
        'or use PostgreSQL (set SADA_DATABASE_URL) to run several processes at once.',
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DataDirLock {
  /** Records the server's address for other commands' messages. */
  announce(url: string): void;
  release(): void;
}

export function lockDataDir(dataDir: string, command: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'sada.lock');
  const holder: LockHolder = { pid: process.pid, command, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, JSON.stringify(holder));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      let other: LockHolder | undefined;
      try {
        other = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
      } catch {
        other = undefined; // half-written by a process that died at that instant: stale
      }
      if (other && other.pid !== process.pid && isAlive(other.pid)) throw new DataDirLockedError(dataDir, other);
      rmSync(path, { force: true });
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      const current = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
      if (current.pid === process.pid) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return {
    announce(url) {
      writeFileSync(path, JSON.stringify({ ...holder, url }));
    },
    release,
  };
}
