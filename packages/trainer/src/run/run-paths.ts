import { joinPath as join, moduleLocation } from '#path';

/** Where a run keeps its files (all under the run directory, `--out`). */
export interface RunPaths {
  dir: string;
  /** The resolved config: every default filled in (for the CLI, `selfsup pretrain --config <this>` reproduces the run). */
  config: string;
  /** Facts about the run ({@link RunRecord}): when it started and resumed, the data it saw, its fingerprint, steps per epoch. */
  run: string;
  checkpoints: string;
  metrics: string;
  /** The final encoder (`loadEncoder(dir)`); of a video run, the per-frame encoder. */
  encoder: string;
  /** Video runs: the frame encoder over whole sequences [N, frames, H, W, C] (frame features averaged). */
  clipEncoder: string;
  preview: string;
  report: string;
  /** The final summary, the same JSON the run's last line prints. */
  result: string;
  /** The exclusive lock a running process holds (`acquireRunLock`). */
  lock: string;
  /** Text runs: the tokenizer the sequences were made with (reused on resume and by downstream code). */
  tokenizer: string;
  /** Each data file's content digest when the run started (`PreparedExperiment.dataFiles`), to name what changed on resume. */
  dataFiles: string;
}

/**
 * The files of the run in `dir`. In a browser they are keys of the page's IndexedDB (`selfsup`
 * database) and the encoders `indexeddb://<dir>/encoder` (tfjs's store), which `loadEncoder` takes.
 */
export function runPaths(dir: string): RunPaths {
  return {
    dir,
    config: join(dir, 'config.json'),
    run: join(dir, 'run.json'),
    checkpoints: join(dir, 'checkpoints'),
    metrics: join(dir, 'metrics.jsonl'),
    encoder: moduleLocation(join(dir, 'encoder')),
    clipEncoder: moduleLocation(join(dir, 'clip-encoder')),
    preview: join(dir, 'augmentations.png'),
    report: join(dir, 'report.html'),
    result: join(dir, 'result.json'),
    tokenizer: join(dir, 'tokenizer.json'),
    lock: join(dir, 'run.lock'),
    dataFiles: join(dir, 'data-files.json'),
  };
}
