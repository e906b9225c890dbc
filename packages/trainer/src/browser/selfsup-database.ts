/**
 * The IndexedDB database where a page keeps its runs and checkpoints (`selfsup`; tfjs keeps the
 * modules saved to `indexeddb://` in its own, `tensorflowjs`). Used only by the trainer's
 * `.browser.ts` files.
 *
 * Object stores:
 * - `checkpoints`: one record per checkpoint written (weights, optimizer slots, objective state,
 *   trainer state, config), under a staging key that no reader follows until…
 * - `checkpoint-index`: per checkpoint root, the complete checkpoints and the `latest` one — the
 *   record whose single write makes a new checkpoint visible;
 * - `files`: a run's small files by path (`run.json`, `config.json`, `result.json`, `report.html`);
 * - `lines`: appended lines by path (`metrics.jsonl`), in order.
 */
export const SELFSUP_DATABASE = 'selfsup';
const VERSION = 1;

export const CHECKPOINTS = 'checkpoints';
export const CHECKPOINT_INDEX = 'checkpoint-index';
export const FILES = 'files';
export const LINES = 'lines';

let opening: Promise<IDBDatabase> | undefined;

/** The open database (opened once per page, created on first use). */
export function openDatabase(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(new Error('selfsup stores runs and checkpoints in IndexedDB, which this context lacks'));
  }
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(SELFSUP_DATABASE, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(CHECKPOINTS);
      db.createObjectStore(CHECKPOINT_INDEX);
      db.createObjectStore(FILES);
      db.createObjectStore(LINES, { autoIncrement: true }).createIndex('path', 'path');
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        opening = undefined;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = undefined;
      reject(request.error ?? new Error(`cannot open IndexedDB database ${SELFSUP_DATABASE}`));
    };
  });
  return opening;
}

/**
 * Closes this page's connection (the next use opens it again): what a page reload does to it.
 * Pending appends are written first.
 */
export async function closeDatabase(): Promise<void> {
  await settleWrites().catch(() => undefined);
  const db = await opening?.catch(() => undefined);
  opening = undefined;
  db?.close();
}

/** The result of an IndexedDB request. */
export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Runs `body` in one transaction over `stores` and resolves once the transaction has committed:
 * all of its writes happen, or none (a throw aborts it). `body` may await only requests of `tx`
 * (anything else lets the transaction commit early).
 */
export async function inTransaction<T>(
  stores: string[],
  mode: IDBTransactionMode,
  body: (tx: IDBTransaction) => Promise<T>,
): Promise<T> {
  const db = await openDatabase();
  const tx = db.transaction(stores, mode);
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  let result: T;
  try {
    result = await body(tx);
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // already finished
    }
    await done.catch(() => undefined);
    throw error;
  }
  await done;
  return result;
}

/** Keys from `prefix` on: every key that starts with it. */
export function prefixRange(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

let pending: Promise<void> = Promise.resolve();
let failed: Error | undefined;

/**
 * Appends `text` as one line record to `path` without waiting (training callbacks are
 * synchronous); appends are written in order. {@link settleWrites} waits for them.
 */
export function appendLine(path: string, text: string): void {
  pending = pending.then(() =>
    inTransaction([LINES], 'readwrite', async (tx) => {
      await requestResult(tx.objectStore(LINES).add({ path, text }));
    }).catch((error: Error) => {
      failed ??= error;
    }),
  );
}

/**
 * Waits for every append so far; checkpoints call it before they become `latest`, so a checkpoint
 * never sits beside a metrics log that lacks its steps.
 * @throws the first append that failed.
 */
export async function settleWrites(): Promise<void> {
  await pending;
  if (failed !== undefined) {
    const error = failed;
    failed = undefined;
    throw new Error(`an IndexedDB append failed: ${error.message}`, { cause: error });
  }
}
