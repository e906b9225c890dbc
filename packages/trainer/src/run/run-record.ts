import { pathKind, readTextFile, writeTextFileAtomically } from '#run-storage';

/** Facts about a run, kept beside its config as `run.json` and updated at each start and resume. */
export interface RunRecord {
  /** Marks the file as a selfsup run record. */
  format: 'selfsup-run';
  /** ISO time the run first started. */
  started: string;
  /** ISO times it was resumed, oldest first. */
  resumed: string[];
  /** `preparing` until the data and model are ready, then `training`, then `finished`. */
  state: 'preparing' | 'training' | 'finished';
  title?: string;
  objective?: { kind: string; id: string };
  /** The data the run trains on: what it is, how many examples, and a fingerprint a resume must match. */
  data?: { description: string; examples: string; count: number; fingerprint?: string };
  stepsPerEpoch?: number;
  /** Face-specific facts (the CLI's plugins and skipped files, an app's corpus split). */
  details?: Record<string, unknown>;
}

/**
 * Writes `value` as JSON to `path` atomically (a crash leaves the old file or the new one, whole);
 * in a browser, to the page's IndexedDB in one transaction.
 */
export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await writeTextFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The data files of a run as it started, path → content digest (`data-files.json`); undefined when there is none or it cannot be read. */
export async function readDataFiles(path: string): Promise<Record<string, string> | undefined> {
  if ((await pathKind(path)) === undefined) return undefined;
  try {
    const parsed = JSON.parse(await readTextFile(path)) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, string>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What differs between the data files a run started with and those given now: changed (another
 * digest), added and removed paths, each sorted.
 */
export function dataFileChanges(
  saved: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>,
): { changed: string[]; added: string[]; removed: string[] } {
  const changed = Object.keys(current).filter((path) => path in saved && saved[path] !== current[path]);
  const added = Object.keys(current).filter((path) => !(path in saved));
  const removed = Object.keys(saved).filter((path) => !(path in current));
  return { changed: changed.sort(), added: added.sort(), removed: removed.sort() };
}

/**
 * The run record at `path`, or undefined when there is none. A record written by an older selfsup
 * (no `format`) is read as one.
 * @throws naming the file when it is not JSON.
 */
export async function readRunRecord(path: string): Promise<RunRecord | undefined> {
  if ((await pathKind(path)) === undefined) return undefined;
  let parsed: Partial<RunRecord> & Record<string, unknown>;
  try {
    parsed = JSON.parse(await readTextFile(path)) as Partial<RunRecord> & Record<string, unknown>;
  } catch (error) {
    throw new Error(`${path} is not a readable run record: ${(error as Error).message}`);
  }
  return {
    ...parsed,
    format: 'selfsup-run',
    started: typeof parsed.started === 'string' ? parsed.started : '',
    resumed: Array.isArray(parsed.resumed) ? (parsed.resumed as string[]) : [],
    state: parsed.state ?? 'training',
  };
}
