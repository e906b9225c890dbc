import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@selfsup/backend';
import type { PretextTask } from '@selfsup/pretext';
import { textTasks } from '@selfsup/text';
import { videoTasks } from '@selfsup/video';
import { visionTasks } from '@selfsup/vision';
import { beforeAll, describe, expect, it } from 'vitest';
import { validationTaskOptions } from '../config/run-provided-options.js';
import { TEXT_TASK_INPUTS } from '../run/text-task-inputs.js';
import { codeSpans, type MarkdownTable, markdownTables } from '../testing/markdown-tables.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

type TaskMap = Record<string, (options?: never) => PretextTask<object, unknown>>;

/** A task made with its defaults (token tasks with stand-ins for the run-provided vocabulary and counts). */
function made(map: TaskMap, id: string): PretextTask<object, unknown> {
  const factory = map[id] as unknown as (options: object) => PretextTask<object, unknown>;
  return factory(validationTaskOptions());
}

/** The default of one option of a task, as the docs write it. */
function defaultOf(map: TaskMap, id: string, option: string): unknown {
  return (made(map, id).options as Record<string, unknown>)[option];
}

/** A fraction as the docs write it in percent: 0.15 → `15`. */
const percent = (value: unknown) => String(Number((100 * (value as number)).toFixed(1)));

/** A statement a table row makes about a task's defaults: `says` writes it from the option's value. */
interface StatedDefault {
  id: string;
  column: string;
  option: string;
  says: (value: unknown) => string;
}

/** A task table of a doc, found by its first header; ids and factories are `code spans`. */
interface TaskTable {
  file: string;
  map: TaskMap;
  /** The first header of the table. */
  idColumn: string;
  /** The column naming the factories (`rotationTask()`) when it is not the id column's. */
  factoryColumn?: string;
  /** The id column holds factories (`rotationTask()`) instead of ids. */
  idsAreFactories?: boolean;
  /** The column naming the head (`linear`, or a task-built head). */
  headColumn?: string;
  /** The column whose `(N-way)` is a linear head's output size. */
  targetColumn?: string;
  defaults?: StatedDefault[];
}

const TABLES: TaskTable[] = [
  {
    file: 'docs/vision-tasks.md',
    map: visionTasks as unknown as TaskMap,
    idColumn: 'id',
    headColumn: 'head',
    targetColumn: 'input → target',
    defaults: [
      { id: 'rotation', column: 'input → target', option: 'rotations', says: (v) => `in its ${v} rotations` },
      { id: 'jigsaw', column: 'input → target', option: 'grid', says: (v) => `${v}×${v} tiles` },
      {
        id: 'jigsaw',
        column: 'defences / details',
        option: 'grayscaleProbability',
        says: (v) => `grayscale ${percent(v)} % of the time`,
      },
      { id: 'relative-location', column: 'defences / details', option: 'jitter', says: (v) => `±${v} px jitter` },
      { id: 'colorization', column: 'defences / details', option: 'binSize', says: (v) => `(${v}-wide` },
      { id: 'colorization', column: 'defences / details', option: 'softNeighbours', says: (v) => `${v} nearest bins` },
      { id: 'colorization', column: 'defences / details', option: 'softSigma', says: (v) => `σ = ${v}` },
      { id: 'colorization', column: 'defences / details', option: 'rebalance', says: (v) => `λ = ${v}` },
      { id: 'colorization', column: 'defences / details', option: 'temperature', says: (v) => `T = ${v}` },
      { id: 'colorization', column: 'input → target', option: 'outputStride', says: (v) => `ab at 1/${v} resolution` },
      { id: 'mae', column: 'input → target', option: 'maskRatio', says: (v) => `(${percent(v)} % masked` },
    ],
  },
  {
    file: 'packages/vision/README.md',
    map: visionTasks as unknown as TaskMap,
    idColumn: 'task',
    idsAreFactories: true,
    headColumn: 'head',
    defaults: [
      {
        id: 'rotation',
        column: 'what the encoder sees → what is predicted',
        option: 'rotations',
        says: (v) => `all ${v} rotations`,
      },
      {
        id: 'jigsaw',
        column: 'shortcut defences',
        option: 'grayscaleProbability',
        says: (v) => `grayscale ${percent(v)} %`,
      },
      {
        id: 'colorization',
        column: 'what the encoder sees → what is predicted',
        option: 'outputStride',
        says: (v) => `ab at 1/${v} resolution`,
      },
      { id: 'mae', column: 'shortcut defences', option: 'maskRatio', says: (v) => `masking at ${percent(v)} %` },
    ],
  },
  { file: 'docs/text.md', map: textTasks as unknown as TaskMap, idColumn: 'task' },
  {
    file: 'packages/text/README.md',
    map: textTasks as unknown as TaskMap,
    idColumn: 'id',
    factoryColumn: 'factory',
    defaults: [
      {
        id: 'bert-mlm',
        column: 'samples → batch',
        option: 'maskProbability',
        says: (v) => `${percent(v)} % of non-special tokens`,
      },
      {
        id: 'bert-mlm',
        column: 'samples → batch',
        option: 'maskReplaceProbability',
        says: (v) => `${percent(v)} % \`[MASK]\``,
      },
      {
        id: 'bert-mlm',
        column: 'samples → batch',
        option: 'randomReplaceProbability',
        says: (v) => `${percent(v)} % random`,
      },
      { id: 'span-mlm', column: 'samples → batch', option: 'geometricP', says: (v) => `Geo(${v})` },
      { id: 'span-mlm', column: 'samples → batch', option: 'maxSpanLength', says: (v) => `clipped at ${v}` },
      { id: 'span-mlm', column: 'samples → batch', option: 'maskProbability', says: (v) => `budget ${percent(v)} %` },
      {
        id: 't5-span-corruption',
        column: 'samples → batch',
        option: 'noiseDensity',
        says: (v) => `noise ${percent(v)} %`,
      },
      {
        id: 't5-span-corruption',
        column: 'samples → batch',
        option: 'meanNoiseSpanLength',
        says: (v) => `mean span ${v}`,
      },
      { id: 'skip-gram', column: 'samples → batch', option: 'noisePower', says: (v) => `count^${v}` },
    ],
  },
  {
    file: 'packages/video/README.md',
    map: videoTasks as unknown as TaskMap,
    idColumn: 'id',
    factoryColumn: 'factory',
    defaults: [
      { id: 'order-prediction', column: 'input → target', option: 'frames', says: (v) => `${v} frames` },
      { id: 'clip-order', column: 'input → target', option: 'clips', says: (v) => `${v} (or` },
    ],
  },
];

/** The `code spans` of a cell that name things: ids, or factories without their `()`. */
const names = (cell: string | undefined) => codeSpans(cell ?? '').map((span) => span.replace(/\(\)$/, ''));

function findTable(spec: TaskTable): MarkdownTable {
  const table = markdownTables(readFileSync(join(root, spec.file), 'utf8')).find(
    (candidate) => candidate.headers[0] === spec.idColumn && names(candidate.rows[0]?.[spec.idColumn]).length > 0,
  );
  if (table === undefined) throw new Error(`${spec.file}: no task table whose first column is '${spec.idColumn}'`);
  return table;
}

/** The row of a table that names the task `id` (by id, or by factory). */
function rowOf(spec: TaskTable, table: MarkdownTable, id: string): Record<string, string> | undefined {
  const wanted = spec.idsAreFactories ? (spec.map[id] as { name: string }).name : id;
  return table.rows.find((row) => names(row[spec.idColumn]).includes(wanted));
}

beforeAll(async () => {
  // Some tasks make tensors when they are made.
  await initBackend({ backend: 'cpu', log: false });
});

describe.each(TABLES)('the task table of $file', (spec) => {
  it('lists exactly the tasks of the task map', () => {
    const listed = findTable(spec).rows.flatMap((row) => names(row[spec.idColumn]));
    const expected = Object.entries(spec.map).map(([id, factory]) => (spec.idsAreFactories ? factory.name : id));
    expect([...listed].sort()).toEqual([...expected].sort());
  });

  it.runIf(spec.factoryColumn !== undefined)('names each task’s factory', () => {
    for (const row of findTable(spec).rows) {
      const ids = names(row[spec.idColumn]);
      const factories = names(row[spec.factoryColumn as string]);
      expect(factories, `${spec.file}: ${row[spec.idColumn]}`).toEqual(ids.map((id) => spec.map[id]?.name));
    }
  });

  it.runIf(spec.headColumn !== undefined)('names the head each task declares', () => {
    const table = findTable(spec);
    for (const id of Object.keys(spec.map)) {
      const row = rowOf(spec, table, id);
      const head = made(spec.map, id).head;
      const cell = row?.[spec.headColumn as string] ?? '';
      // `linear`/`mlp` heads the trainer builds; anything else the task builds (`custom`) or needs none.
      const says = /^(linear|mlp)\b/.exec(cell)?.[1] ?? 'custom or none';
      expect(says, `${spec.file}: the head of '${id}'`).toBe(
        head.kind === 'linear' || head.kind === 'mlp' ? head.kind : 'custom or none',
      );
      const way = /\((\d+)-way\)/.exec(row?.[spec.targetColumn ?? ''] ?? '')?.[1];
      if (way !== undefined && head.kind === 'linear')
        expect(Number(way), `${spec.file}: '${id}'`).toBe(head.outputSize);
    }
  });

  it.runIf(spec.defaults !== undefined)('states the defaults the tasks have', () => {
    const table = findTable(spec);
    for (const stated of spec.defaults ?? []) {
      const cell = rowOf(spec, table, stated.id)?.[stated.column] ?? '';
      expect(cell, `${spec.file}: '${stated.id}' ${stated.column} (${stated.option})`).toContain(
        stated.says(defaultOf(spec.map, stated.id, stated.option)),
      );
    }
  });
});

describe('docs/text.md', () => {
  it('says how each task’s samples are laid out and which encoder it trains, as the CLI runs it', () => {
    const table = findTable(TABLES.find((spec) => spec.file === 'docs/text.md') as TaskTable);
    for (const row of table.rows) {
      for (const id of names(row.task)) {
        const inputs = TEXT_TASK_INPUTS[id];
        expect(inputs, `docs/text.md: '${id}' has no line in TEXT_TASK_INPUTS`).toBeDefined();
        expect(row.samples, `docs/text.md: the samples of '${id}'`).toMatch(
          inputs?.samples === 'segments' ? /^segments \[N, S, L\]/ : /^ids \[N, L\]/,
        );
        // A named factory (`createTextTransformer`) is the one model the CLI trains the task with.
        const factory = /`create(\w+)`/.exec(row.encoder ?? '')?.[1];
        if (factory !== undefined) {
          const kind = factory.replace(/(?<=[a-z])([A-Z])/g, '-$1').toLowerCase();
          expect(inputs?.models, `docs/text.md: the encoder of '${id}'`).toEqual([kind]);
        }
      }
    }
  });
});

describe('benchmark tables', () => {
  it.each([
    ['docs/vision-tasks.md', visionTasks],
    ['docs/video.md', videoTasks],
  ] as const)('%s names only tasks that exist', (file, map) => {
    const ids = new Set(Object.keys(map));
    const firstWords = markdownTables(readFileSync(join(root, file), 'utf8'))
      .filter((table) => table.headers[0] === 'task' || table.headers[0] === 'pretext task')
      .flatMap((table) => table.rows.map((row) => /^[a-z][a-z0-9-]*/.exec(row[table.headers[0] as string] ?? '')?.[0]))
      // Rows of other methods (`SimCLR (reference, …)`) and floors (`floor: random-init CNN`) are not tasks.
      .filter((word): word is string => word !== undefined && word !== 'floor');
    expect(firstWords.length).toBeGreaterThan(0);
    expect(firstWords.filter((word) => !ids.has(word))).toEqual([]);
  });
});
