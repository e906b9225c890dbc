import { ExperimentError } from './experiment-error.js';
import type { RunLock } from './run-lock.js';

/**
 * Node-only: the synchronous `run.lock` file. A page's lock is a Web Lock, taken asynchronously by
 * `openRunDirectory` (and so by `runExperiment`).
 * @throws always, naming the browser alternative.
 */
export function acquireRunLock(dir: string): RunLock {
  throw new Error(
    `acquireRunLock('${dir}') is Node-only (a lock file naming a process); in a browser openRunDirectory(dir, …) takes the run's Web Lock (navigator.locks)`,
  );
}

/** Runs locked by this page when it has no Web Locks API (an old browser): one page's runs only. */
const heldHere = new Set<string>();

/**
 * Takes the exclusive lock of the run `dir` for this page: the Web Lock `selfsup-run:<dir>`
 * (`navigator.locks`, shared by every tab and worker of the site) when the browser has it, else a
 * lock within this page. The browser gives a Web Lock up when the page closes or reloads, so a run
 * whose page died is never locked out; `release()` gives it up earlier (idempotent).
 * @throws ExperimentError (`run`) when another tab or worker holds it.
 */
export async function takeRunLock(dir: string): Promise<RunLock> {
  const name = `selfsup-run:${dir}`;
  const inUse = () =>
    new ExperimentError(
      'run',
      `${dir} is in use by another run (another tab or worker of this site holds its lock ${name}); wait for it to end or choose another run directory`,
    );
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (locks === undefined) {
    if (heldHere.has(dir)) throw inUse();
    heldHere.add(dir);
    let held = true;
    return {
      path: name,
      release: () => {
        if (held) heldHere.delete(dir);
        held = false;
      },
    };
  }
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const granted = await new Promise<boolean>((resolve, reject) => {
    locks
      .request(name, { ifAvailable: true }, async (lock) => {
        resolve(lock !== null);
        if (lock !== null) await released;
      })
      .catch(reject);
  });
  if (!granted) throw inUse();
  return { path: name, release };
}
