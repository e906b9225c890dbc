import { parseArgs } from 'node:util';
import { BACKEND_REQUESTS, type BackendRequest } from '@selfsup/backend';
import type { WeightInit } from '@selfsup/models';
import { OPTIMIZER_KINDS, SSL_METHODS, type SslMethodId } from '@selfsup/trainer';

/** The learning-rate schedules the pipeline offers. */
export const SCHEDULE_KINDS = ['warmup-cosine', 'constant'] as const;

/** How the encoder's and heads' weights start. */
export const WEIGHT_INITS: readonly WeightInit[] = ['he-normal', 'fan-in-uniform'];

/** Everything the reference pipeline needs, resolved (defaults filled in). */
export interface PipelineOptions {
  /** IDX dataset directory; undefined: the embedded Fashion-MNIST subset. */
  data: string | undefined;
  method: SslMethodId;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: (typeof OPTIMIZER_KINDS)[number];
  warmupEpochs: number;
  /** `warmup-cosine`: linear warmup, then cosine decay to 1 % of the peak; `constant`: the peak throughout (after any warmup). */
  schedule: (typeof SCHEDULE_KINDS)[number];
  /** Encoder width multiplier (1: the reference 32-64-128-128). */
  width: number;
  /** How conv and linear weights start (`fan-in-uniform`: PyTorch's default, as `../shared/peer`). */
  weightInit: WeightInit;
  backend: BackendRequest | undefined;
  wasmThreads: number | undefined;
  seed: number;
  out: string;
  resume: boolean;
  /** Linear-probe epochs; undefined: the probe's default step budget. */
  probeEpochs: number | undefined;
  /** Stop after this many steps (for tests and quick checks). */
  maxSteps: number | undefined;
  /** Print progress (default true). */
  quiet: boolean;
}

/**
 * The main job's defaults on the embedded subset, sized to finish within 5 minutes on an idle 2-core
 * machine (measured with `pnpm bench`): a half-width encoder (3.5x faster per step than the
 * reference width) for 10 epochs. The full dataset keeps the reference encoder and 5 epochs.
 */
export const EMBEDDED_DEFAULTS = { epochs: 10, width: 0.5 } as const;

export const USAGE = `Usage: selfsup-simclr [options]

Pretrains an encoder self-supervised on Fashion-MNIST (the embedded subset by default), then
evaluates it with a linear probe and kNN beside the random-init and raw-pixel floors.

  --data <dir>          IDX dataset directory (e.g. /usr/share/datasets/fashion-mnist); default: embedded subset
  --method <id>         ${Object.keys(SSL_METHODS).join(' | ')} (default simclr)
  --epochs <n>          pretraining epochs (default 10 embedded, 5 full)
  --batch-size <n>      images per step, two views each (default 256)
  --lr <x>              peak learning rate (default 2e-3)
  --optimizer <kind>    ${OPTIMIZER_KINDS.join(' | ')} (default adam)
  --warmup-epochs <n>   linear warmup before the schedule (default 1)
  --schedule <kind>     ${SCHEDULE_KINDS.join(' | ')} (default warmup-cosine)
  --width <x>           encoder width multiplier (default 0.5 embedded, 1 full: 16-32-64-64 or 32-64-128-128)
  --weight-init <kind>  ${WEIGHT_INITS.join(' | ')} (default fan-in-uniform)
  --backend <name>      ${BACKEND_REQUESTS.join(' | ')} (default: SELFSUP_BACKEND or auto)
  --wasm-threads <n>    threads for the wasm backend (default 1)
  --seed <n>            seed of every random choice (default 0)
  --out <dir>           run directory: checkpoints, metrics.jsonl, report.html (default runs/<method>)
  --resume              continue from the newest checkpoint in --out
  --probe-epochs <n>    linear-probe epochs (default: 7020 Adam steps, i.e. 30 epochs on 60k images)
  --max-steps <n>       stop pretraining after n steps
  --quiet               no progress output
  --help                this text
`;

function positiveNumber(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new Error(`--${name}: expected a positive ${integer ? 'integer' : 'number'}, got '${value}'`);
  }
  return number;
}

/**
 * Parses the pipeline's command line.
 * @throws an Error whose message names the flag and what is allowed (the caller prints it with the usage and exits 2).
 */
export function parsePipelineOptions(argv: string[]): PipelineOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      method: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      optimizer: { type: 'string' },
      'warmup-epochs': { type: 'string' },
      schedule: { type: 'string' },
      width: { type: 'string' },
      'weight-init': { type: 'string' },
      backend: { type: 'string' },
      'wasm-threads': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
      'probe-epochs': { type: 'string' },
      'max-steps': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const method = (values.method ?? 'simclr') as SslMethodId;
  if (!(method in SSL_METHODS))
    throw new Error(`--method: '${method}' is not a method; known: ${Object.keys(SSL_METHODS).join(', ')}`);
  const optimizer = (values.optimizer ?? 'adam') as PipelineOptions['optimizer'];
  if (!OPTIMIZER_KINDS.includes(optimizer))
    throw new Error(`--optimizer: '${optimizer}' is not an optimizer; known: ${OPTIMIZER_KINDS.join(', ')}`);
  const schedule = (values.schedule ?? 'warmup-cosine') as PipelineOptions['schedule'];
  if (!SCHEDULE_KINDS.includes(schedule))
    throw new Error(`--schedule: '${schedule}' is not a schedule; known: ${SCHEDULE_KINDS.join(', ')}`);
  const weightInit = (values['weight-init'] ?? 'fan-in-uniform') as WeightInit;
  if (!WEIGHT_INITS.includes(weightInit))
    throw new Error(`--weight-init: '${weightInit}' is not an initialization; known: ${WEIGHT_INITS.join(', ')}`);
  const backend = values.backend as BackendRequest | undefined;
  if (backend !== undefined && !BACKEND_REQUESTS.includes(backend))
    throw new Error(`--backend: '${backend}' is not a backend; known: ${BACKEND_REQUESTS.join(', ')}`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${values.seed}'`);
  const warmup = values['warmup-epochs'] === undefined ? 1 : Number(values['warmup-epochs']);
  if (!(warmup >= 0)) throw new Error(`--warmup-epochs: expected a number ≥ 0, got '${values['warmup-epochs']}'`);
  return {
    data: values.data,
    method,
    epochs: positiveNumber('epochs', values.epochs, true) ?? (values.data === undefined ? EMBEDDED_DEFAULTS.epochs : 5),
    batchSize: positiveNumber('batch-size', values['batch-size'], true) ?? 256,
    learningRate: positiveNumber('lr', values.lr, false) ?? 2e-3,
    optimizer,
    warmupEpochs: warmup,
    schedule,
    width: positiveNumber('width', values.width, false) ?? (values.data === undefined ? EMBEDDED_DEFAULTS.width : 1),
    weightInit,
    backend,
    wasmThreads: positiveNumber('wasm-threads', values['wasm-threads'], true),
    seed,
    out: values.out ?? `runs/${method}`,
    resume: values.resume ?? false,
    probeEpochs: positiveNumber('probe-epochs', values['probe-epochs'], true),
    maxSteps: positiveNumber('max-steps', values['max-steps'], true),
    quiet: values.quiet ?? false,
  };
}
