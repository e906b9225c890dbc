import { tf } from '@selfsup/backend';
import {
  appendLine,
  CHECKPOINT_INDEX,
  CHECKPOINTS,
  FILES,
  inTransaction,
  LINES,
  prefixRange,
  requestResult,
  settleWrites,
} from './browser/selfsup-database.js';

/*
 * A page's run files, in the IndexedDB database `selfsup`: a file is a record of the `files` store
 * (its text) plus the lines appended to it (`lines` store), a directory is every key under
 * `<dir>/` — files, appended logs and checkpoint roots.
 */

/** The distinct paths of appended lines in `range`. */
function linePaths(tx: IDBTransaction, range: IDBKeyRange): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const paths: string[] = [];
    const cursor = tx.objectStore(LINES).index('path').openKeyCursor(range, 'nextunique');
    cursor.onerror = () => reject(cursor.error);
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (at === null) return resolve(paths);
      paths.push(String(at.key));
      at.continue();
    };
  });
}

async function keysUnder(tx: IDBTransaction, prefix: string): Promise<string[]> {
  const range = prefixRange(prefix);
  const [files, lines, roots, records] = await Promise.all([
    requestResult(tx.objectStore(FILES).getAllKeys(range)),
    linePaths(tx, range),
    requestResult(tx.objectStore(CHECKPOINT_INDEX).getAllKeys(range)),
    requestResult(tx.objectStore(CHECKPOINTS).getAllKeys(range)),
  ]);
  return [...files, ...lines, ...roots, ...records].map(String);
}

const ALL = [FILES, LINES, CHECKPOINT_INDEX, CHECKPOINTS];

/** What is at `path`: a file (written or appended to), a directory (keys under `path/`), or nothing. */
export async function pathKind(path: string): Promise<'file' | 'directory' | undefined> {
  await settleWrites();
  return inTransaction(ALL, 'readonly', async (tx) => {
    const file = await requestResult(tx.objectStore(FILES).count(path));
    const lines = await requestResult(tx.objectStore(LINES).index('path').count(path));
    if (file + lines > 0) return 'file';
    const root = await requestResult(tx.objectStore(CHECKPOINT_INDEX).count(path));
    if (root > 0) return 'directory';
    return (await keysUnder(tx, `${path}/`)).length > 0 ? 'directory' : undefined;
  });
}

/** The names directly under `dir`. */
export async function listDirectory(dir: string): Promise<string[]> {
  await settleWrites();
  const keys = await inTransaction(ALL, 'readonly', (tx) => keysUnder(tx, `${dir}/`));
  return [...new Set(keys.map((key) => key.slice(dir.length + 1).split('/')[0] as string))].sort();
}

/** Nothing to make: a page's directories exist through the keys under them. */
export async function makeDirectory(_dir: string): Promise<void> {}

/** The text of the file at `path` (its written text, then its appended lines). @throws when there is none. */
export async function readTextFile(path: string): Promise<string> {
  await settleWrites();
  const found = await inTransaction([FILES, LINES], 'readonly', async (tx) => {
    const file = (await requestResult(tx.objectStore(FILES).get(path))) as { text: string } | undefined;
    const lines = (await requestResult(tx.objectStore(LINES).index('path').getAll(path))) as Array<{ text: string }>;
    if (file === undefined && lines.length === 0) return undefined;
    return (file?.text ?? '') + lines.map((line) => line.text).join('');
  });
  if (found === undefined) throw new Error(`${path}: no such file in this page's IndexedDB (database selfsup)`);
  return found;
}

/** Replaces the file at `path` with `text` in one transaction (its appended lines go with it). */
export async function writeTextFileAtomically(path: string, text: string): Promise<void> {
  await settleWrites();
  await inTransaction([FILES, LINES], 'readwrite', async (tx) => {
    const lines = tx.objectStore(LINES);
    for (const key of await requestResult(lines.index('path').getAllKeys(path))) lines.delete(key);
    await requestResult(tx.objectStore(FILES).put({ text }, path));
  });
}

/** Nothing to prepare in a page. */
export function prepareAppend(_path: string): void {}

/** Appends `text` to the file at `path`; written in order in the background ({@link settleAppends}). */
export function appendTextFile(path: string, text: string): void {
  appendLine(path, text);
}

/** Waits for the appends so far. @throws the first that failed. */
export async function settleAppends(): Promise<void> {
  await settleWrites();
}

/** Roughly the bytes a stored value takes: binary data by length, strings by UTF-16 length, objects by their parts. */
function approximateBytes(value: unknown): number {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number' || typeof value === 'boolean') return 8;
  if (Array.isArray(value)) return value.reduce((total: number, item) => total + approximateBytes(item), 0);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).reduce((total, [key, item]) => total + key.length + approximateBytes(item), 0);
  }
  return 0;
}

/** The `indexeddb://` modules tfjs keeps for `path` and under it (the run's encoders). */
async function modulesUnder(path: string): Promise<Record<string, tf.io.ModelArtifactsInfo>> {
  const all = await tf.io.listModels().catch(() => ({}) as Record<string, tf.io.ModelArtifactsInfo>);
  return Object.fromEntries(
    Object.entries(all).filter(([url]) => url === `indexeddb://${path}` || url.startsWith(`indexeddb://${path}/`)),
  );
}

/**
 * The bytes stored at `path` and under it in this page: its records in the `selfsup` database
 * (files, appended lines, checkpoints; approximately) and the modules tfjs keeps for it.
 */
export async function storedBytes(path: string): Promise<number> {
  await settleWrites();
  const inDatabase = await inTransaction(ALL, 'readonly', async (tx) => {
    let total = 0;
    for (const store of [FILES, CHECKPOINT_INDEX, CHECKPOINTS]) {
      for (const range of [IDBKeyRange.only(path), prefixRange(`${path}/`)]) {
        const values = await requestResult(tx.objectStore(store).getAll(range));
        total += approximateBytes(values);
      }
    }
    for (const range of [IDBKeyRange.only(path), prefixRange(`${path}/`)]) {
      total += approximateBytes(await requestResult(tx.objectStore(LINES).index('path').getAll(range)));
    }
    return total;
  });
  const modules = Object.values(await modulesUnder(path)).reduce(
    (total, info) =>
      total + (info.modelTopologyBytes ?? 0) + (info.weightSpecsBytes ?? 0) + (info.weightDataBytes ?? 0),
    0,
  );
  return inDatabase + modules;
}

/**
 * Removes everything stored at `path` and under it in this page, in one transaction (files, lines,
 * checkpoints), then the modules tfjs keeps for it (`indexeddb://<path>/…`).
 */
export async function removeTree(path: string): Promise<void> {
  await settleWrites();
  await inTransaction(ALL, 'readwrite', async (tx) => {
    for (const store of [FILES, CHECKPOINT_INDEX, CHECKPOINTS]) {
      tx.objectStore(store).delete(path);
      tx.objectStore(store).delete(prefixRange(`${path}/`));
    }
    const lines = tx.objectStore(LINES);
    for (const range of [IDBKeyRange.only(path), prefixRange(`${path}/`)]) {
      for (const key of await requestResult(lines.index('path').getAllKeys(range))) lines.delete(key);
    }
  });
  for (const url of Object.keys(await modulesUnder(path))) await tf.io.removeModel(url);
}
