import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIMCLR_APP } from '../../../../apps/simclr/src/simclr-app.js';
import { parseAppFlags } from '../app/app-flags.js';
import { STANDARD_APP_FLAGS } from '../app/run-app.js';
import { codeSpans, markdownTables } from '../testing/markdown-tables.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The workspace folders of a group (`packages`, `apps`): those with a package.json, by folder name. */
function workspaces(group: 'packages' | 'apps'): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of readdirSync(join(root, group)).sort()) {
    const manifest = join(root, group, name, 'package.json');
    if (existsSync(manifest)) found.set(name, (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name);
  }
  return found;
}

describe('README.md', () => {
  it('lists every package of packages/ in its package table, linked to its folder', () => {
    const table = markdownTables(read('README.md')).find((t) => t.headers[0] === 'package');
    expect(table, 'the README has a | package | what it is | table').toBeDefined();
    const listed = (table?.rows ?? []).map((row) => row.package ?? '');
    const expected = [...workspaces('packages')].map(([folder, name]) => `[\`${name}\`](packages/${folder})`);
    expect([...listed].sort()).toEqual([...expected].sort());
    for (const row of table?.rows ?? []) expect(row['what it is'], row.package).not.toBe('');
  });

  it('links every app of apps/', () => {
    const readme = read('README.md');
    const missing = [...workspaces('apps').keys()].filter((folder) => !readme.includes(`](apps/${folder})`));
    expect(missing, 'apps the README does not link to').toEqual([]);
  });
});

describe('docs/getting-started.md', () => {
  it('names the report the reference pipeline writes: the start script’s app folder, then its default --out', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start ?? '';
    const filtered = /--filter (\S+) start/.exec(start)?.[1];
    const app = [...workspaces('apps')].find(([, name]) => name === filtered)?.[0];
    expect(app, `the root start script (${start}) runs an app of apps/`).toBeDefined();
    // pnpm runs a filtered package's script in that package's folder, so --out is relative to it.
    const values = parseAppFlags({ ...SIMCLR_APP.flags, ...STANDARD_APP_FLAGS }, []);
    if (values === 'help') throw new Error('no arguments must not ask for help');
    const report = `apps/${app}/${SIMCLR_APP.defaultOut(values)}/report.html`;
    const guide = read('docs/getting-started.md');
    expect(guide).toContain(`\`${report}\``);
    const reports = codeSpans(guide).filter((span) => span.endsWith('report.html'));
    expect(reports).toEqual([report]);
  });
});

describe('docs/adding-a-task.md', () => {
  it('names files that exist, and what it says a file holds (`name` in `file.ts`), the file exports', () => {
    const guide = read('docs/adding-a-task.md');
    const files = codeSpans(guide).filter((span) => /^(packages|apps|docs)\/[^<\s]+\.\w+$/.test(span));
    expect(files.length).toBeGreaterThan(5);
    expect(
      files.filter((file) => !existsSync(join(root, file))),
      'files the guide names that do not exist',
    ).toEqual([]);
    const claims = [...guide.matchAll(/`(\w+)(?:\(\))?` in\s+`([^`<]+\.ts)`/g)];
    expect(claims.length).toBeGreaterThan(0);
    for (const [, name, file] of claims) {
      const declared = new RegExp(`export (?:async )?(?:function|const|class|type|interface) ${name}\\b`);
      expect(read(file as string), `${file} exports ${name}`).toMatch(declared);
    }
  });
});
