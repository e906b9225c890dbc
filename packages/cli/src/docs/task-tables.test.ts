import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBuiltinTaskMaps } from '../registries/registries.js';
import { codeSpans, markdownTables } from '../testing/markdown-tables.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

// Every built-in task, read from the task packages' maps: no id is written here.
const maps = await loadBuiltinTaskMaps();
const ids = new Set(maps.flatMap((map) => Object.keys(map)));
const factories = new Set(maps.flatMap((map) => Object.values(map).map((factory) => factory.name)));

/** The hand-written docs of the library: docs/*.md, the root README, the package READMEs (an app's README documents that app). */
function handWrittenDocs(): string[] {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs')).flatMap((f) => (f.endsWith('.md') ? [`docs/${f}`] : [])),
  ];
  for (const name of readdirSync(join(root, 'packages'))) {
    if (existsSync(join(root, 'packages', name, 'README.md'))) files.push(`packages/${name}/README.md`);
  }
  return files;
}

/** A task, by id or factory, named by a code span (`rotation`, `rotationTask()`). */
const namesTask = (span: string) => ids.has(span) || factories.has(span.replace(/\(\)$/, ''));

describe('the docs that list tasks', () => {
  it('are generated, not hand-kept: no hand-written table has a row per task (`id` or `factory()` first)', () => {
    // The per-task reference is `selfsup list tasks` and the generated dist/tasks.md of @selfsup/cli,
    // both read from the tasks' declarations; a table here would need a row for every new task.
    const tables = handWrittenDocs().flatMap((file) =>
      markdownTables(readFileSync(join(root, file), 'utf8'))
        .filter(
          (table) =>
            table.rows.length > 1 &&
            table.rows.every((row) => {
              const first = codeSpans(row[table.headers[0] as string] ?? '')[0];
              return first !== undefined && namesTask(first);
            }),
        )
        .map((table) => `${file}:${table.line}`),
    );
    expect(
      tables,
      'hand-kept task tables: describe groups of tasks in prose and point to `selfsup list tasks`',
    ).toEqual([]);
  });

  it('point to where every task is listed', () => {
    for (const file of [
      'docs/vision-tasks.md',
      'docs/text.md',
      'packages/vision/README.md',
      'packages/text/README.md',
      'packages/video/README.md',
    ]) {
      const doc = readFileSync(join(root, file), 'utf8').replace(/\s+/g, ' ');
      expect(doc, file).toContain('`npx selfsup list tasks`');
      expect(doc, file).toContain('`dist/tasks.md` of `@selfsup/cli`');
    }
  });
});

describe('benchmark tables', () => {
  it.each(['docs/vision-tasks.md', 'docs/video.md'])('%s names only tasks that exist', (file) => {
    const firstWords = markdownTables(readFileSync(join(root, file), 'utf8'))
      .filter((table) => table.headers[0] === 'task' || table.headers[0] === 'pretext task')
      .flatMap((table) => table.rows.map((row) => /^[a-z][a-z0-9-]*/.exec(row[table.headers[0] as string] ?? '')?.[0]))
      // Rows of other methods (`SimCLR (reference, …)`) and floors (`floor: random-init CNN`) are not tasks.
      .filter((word): word is string => word !== undefined && word !== 'floor');
    expect(firstWords.length).toBeGreaterThan(0);
    expect(firstWords.filter((word) => !ids.has(word))).toEqual([]);
  });
});
