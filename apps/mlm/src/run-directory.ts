import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TextTokenizer } from '@selfsup/text';

/** Where an MLM run keeps its files. */
export interface MlmRunPaths {
  dir: string;
  /** The tokenizer the run's sequences were made with (Hugging Face format); a resumed run reuses it. */
  tokenizer: string;
  /** `step-000000100/`, …, and `latest` (written by the trainer, atomically). */
  checkpoints: string;
  /** One JSON line per step. */
  metrics: string;
  encoder: string;
}

/** The paths of the run in `dir` (absolute when `dir` is). */
export function mlmRunPaths(dir: string): MlmRunPaths {
  return {
    dir,
    tokenizer: join(dir, 'tokenizer.json'),
    checkpoints: join(dir, 'checkpoints'),
    metrics: join(dir, 'metrics.jsonl'),
    encoder: join(dir, 'encoder'),
  };
}

async function replaceFile(path: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    await write(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Saves a tokenizer to `path` atomically (a crash leaves the old file or the new one, whole). */
export async function saveTokenizerAtomically(tokenizer: TextTokenizer, path: string): Promise<void> {
  await replaceFile(path, (temporary) => tokenizer.save(temporary));
}

/**
 * Keeps the lines of a metrics log whose step is at most `step` (atomically): a run that died after
 * its last checkpoint logged steps that the resumed run trains and logs again. Step 0 empties it.
 */
export async function keepMetricsUpTo(path: string, step: number): Promise<void> {
  if (!existsSync(path)) return;
  const kept = (await readFile(path, 'utf8')).split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      return ((JSON.parse(line) as { step?: unknown }).step as number) <= step;
    } catch {
      return false; // a line cut short by the crash
    }
  });
  await replaceFile(path, (temporary) => writeFile(temporary, kept.length === 0 ? '' : `${kept.join('\n')}\n`));
}
