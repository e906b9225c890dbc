import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { ExperimentError } from './experiment-error.js';
import type { RunLock, RunLockOwner } from './run-lock.js';
import { runPaths } from './run-paths.js';

function readOwner(path: string): RunLockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunLockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return undefined;
    return {
      pid: owner.pid,
      host: owner.host,
      since: String(owner.since ?? ''),
      ...(typeof owner.startTicks === 'number' ? { startTicks: owner.startTicks } : {}),
    };
  } catch {
    // Missing, or cut short by a crash between create and write: nobody we can name holds it.
    return undefined;
  }
}

/** A process's state and start time from `/proc/<pid>/stat` (fields 3 and 22), where there is a /proc. */
function procStat(pid: number | 'self'): { state: string; startTicks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    return Number.isFinite(startTicks) ? { state: fields[0] ?? '', startTicks } : undefined;
  } catch {
    return undefined;
  }
}

function startTicksOf(pid: number | 'self'): number | undefined {
  return procStat(pid)?.startTicks;
}

function processIsAlive(pid: number, startTicks: number | undefined): boolean {
  const stat = procStat(pid);
  if (stat !== undefined) {
    // A zombie has ended (killed, not yet reaped); another start time is another process.
    if (stat.state === 'Z' || stat.state === 'X') return false;
    if (startTicks !== undefined) return stat.startTicks === startTicks;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock's owner may still be running: another host's owner is assumed alive. */
function ownerIsAlive(owner: RunLockOwner | undefined): boolean {
  if (owner === undefined) return false;
  if (owner.host !== hostname()) return true;
  return owner.pid === process.pid || processIsAlive(owner.pid, owner.startTicks);
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const startTicks = startTicksOf('self');
    const owner: RunLockOwner = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
      ...(startTicks === undefined ? {} : { startTicks }),
    };
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the exclusive lock of the run directory `dir` (which must exist): a file `run.lock` created
 * with `O_EXCL`, naming this process. A lock left by a process that is gone (killed, crashed) is
 * taken over; one held by a live process — or by any process on another host sharing the folder —
 * stops with an error naming it. The lock is given up by `release()` and, should the process exit
 * without it, on `exit`.
 *
 * @throws ExperimentError (`run`) when another live process holds the lock.
 * @example
 * const lock = acquireRunLock('runs/simclr');
 * try { … } finally { lock.release(); }
 */
export function acquireRunLock(dir: string): RunLock {
  const path = runPaths(dir).lock;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (tryCreate(path)) {
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        process.off('exit', release);
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to give up.
        }
      };
      process.on('exit', release);
      return { path, release };
    }
    const owner = readOwner(path);
    if (ownerIsAlive(owner)) {
      const who = owner as RunLockOwner;
      const where = `process ${who.pid} on ${who.host}${who.host === hostname() ? ' (this machine)' : ''}`;
      throw new ExperimentError(
        'run',
        `${dir} is in use by another run (${where}, since ${who.since}); wait for it to end or choose another output directory${who.host === hostname() ? '' : ` (if that process is gone, delete ${path})`}`,
      );
    }
    // The owner is gone: remove its lock and try again (another process may win the race: then we
    // read its lock on the next attempt).
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new ExperimentError('run', `${dir}: could not take the run lock ${path} (other processes keep taking it)`);
}

/** {@link acquireRunLock}, as the run lifecycle takes it on both platforms (a page's lock is asynchronous). */
export async function takeRunLock(dir: string): Promise<RunLock> {
  return acquireRunLock(dir);
}
