// The run lock's types; the lock itself differs by platform (`#run-lock`): in Node a `run.lock`
// file naming the process, in a browser a Web Lock (`navigator.locks`).
export { acquireRunLock, takeRunLock } from '#run-lock';

/** What a run's lock file (`<run>/run.lock`) says about the process that holds it. */
export interface RunLockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not taken for it. */
  startTicks?: number;
}

/** A held lock on a run directory; `release()` gives it up (idempotent). */
export interface RunLock {
  path: string;
  release(): void;
}
