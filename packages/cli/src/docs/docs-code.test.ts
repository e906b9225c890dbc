import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KNOWN_DOC_FAILURES, KNOWN_UNFORMATTED_DOCS } from '../testing/known-doc-failures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** `@selfsup/<package>/<entry>` → its source file, for every subpath entry a package exports. */
function subpathSources(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
      name: string;
      exports?: Record<string, unknown>;
    };
    for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
      const source = (target as { '@selfsup/source'?: unknown })?.['@selfsup/source'];
      const file = typeof source === 'object' ? (source as { default?: string })?.default : source;
      if (entry === '.' || typeof file !== 'string') continue;
      paths[`${manifest.name}${entry.slice(1)}`] = [`../../packages/${dir}/${file.replace(/^\.\//, '')}`];
    }
  }
  return paths;
}

/** Markdown files whose TypeScript blocks are checked: docs/, the root README, package and app READMEs. */
function markdownFiles(): string[] {
  const files = [join(root, 'README.md')];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.md')) files.push(join(dir, entry.name));
    }
  };
  walk(join(root, 'docs'));
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const readme = join(root, group, name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files;
}

/**
 * The ```ts / ```typescript blocks of a Markdown file with their line numbers. A block whose info
 * string says `fragment` (e.g. ```ts fragment) is an excerpt that is not meant to compile alone.
 */
export function typescriptBlocks(markdown: string): Array<{ line: number; code: string }> {
  const blocks: Array<{ line: number; code: string }> = [];
  const pattern = /^```(ts|typescript)([^\n]*)\n([\s\S]*?)^```/gm;
  for (const match of markdown.matchAll(pattern)) {
    if (/\bfragment\b/.test(match[2] ?? '')) continue;
    blocks.push({ line: markdown.slice(0, match.index).split('\n').length, code: match[3] ?? '' });
  }
  return blocks;
}

/**
 * Each TypeScript block as the repo's formatter leaves it: biome's formatting and import sorting
 * (`biome check --write` without the linter, with the repo's biome.json), run once over a folder
 * holding every block as a file, in the order given.
 */
function formatted(codes: string[]): string[] {
  const dir = join(root, '.tmp', 'docs-code-format');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = codes.map((code, index) => {
    const file = join(dir, `block-${index}.ts`);
    writeFileSync(file, code);
    return file;
  });
  const biome = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'biome.cmd' : 'biome');
  // .tmp/ is git-ignored, and biome follows .gitignore unless told not to.
  const run = spawnSync(biome, ['check', '--write', '--linter-enabled=false', '--vcs-use-ignore-file=false', dir], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`biome could not format the blocks: ${run.stderr}${run.stdout}`);
  return files.map((file) => readFileSync(file, 'utf8'));
}

describe('TypeScript in the docs', () => {
  it('finds the blocks of a Markdown file and leaves out fragments', () => {
    const markdown = 'text\n```ts\nconst a = 1;\n```\n```ts fragment\nnope(\n```\n```sh\nls\n```\n';
    expect(typescriptBlocks(markdown)).toEqual([{ line: 2, code: 'const a = 1;\n' }]);
  });

  it('formats every TypeScript block of docs/ and the READMEs as biome does', () => {
    const blocks = markdownFiles().flatMap((file) =>
      typescriptBlocks(readFileSync(file, 'utf8')).map((block) => ({ file, ...block })),
    );
    const expected = formatted(blocks.map((block) => block.code));
    const unformatted = blocks.flatMap((block, index) =>
      expected[index] === block.code ? [] : [`${relative(root, block.file)}:${block.line}\n${expected[index]}`],
    );
    const known = (entry: string) => KNOWN_UNFORMATTED_DOCS.includes(entry.split(':')[0] as string);
    const fresh = unformatted.filter((entry) => !known(entry));
    expect(fresh, `TypeScript blocks the formatter would change (expected code shown):\n${fresh.join('\n')}`).toEqual(
      [],
    );
    const fixed = KNOWN_UNFORMATTED_DOCS.filter((file) => !unformatted.some((entry) => entry.startsWith(`${file}:`)));
    expect(fixed, 'formatted now: remove them from KNOWN_UNFORMATTED_DOCS in known-doc-failures.ts').toEqual([]);
  }, 120_000);

  it('typechecks every TypeScript block of docs/ and the READMEs against the packages’ sources', () => {
    const dir = join(root, '.tmp', 'docs-code-check');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const sources = new Map<string, string>();
    for (const file of markdownFiles()) {
      for (const block of typescriptBlocks(readFileSync(file, 'utf8'))) {
        const name = `${relative(root, file).replace(/[^a-z0-9]+/gi, '_')}_L${block.line}.ts`;
        sources.set(name, `${relative(root, file)}:${block.line}`);
        // Each block is its own module (top-level await allowed); relative imports start at the Markdown file.
        const code = block.code.replace(
          /(from\s+')(\.\.?\/[^']+)'/g,
          (_, head: string, path: string) => `${head}${join(dirname(file), path)}'`,
        );
        writeFileSync(join(dir, name), `${code}\nexport {};\n`);
      }
    }
    expect(sources.size).toBeGreaterThan(5);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: {
          noEmit: true,
          declaration: false,
          declarationMap: false,
          customConditions: ['@selfsup/source'],
          paths: { ...subpathSources(), '@selfsup/*': ['../../packages/*/src/index.ts'] },
        },
        include: ['*.ts'],
      }),
    );
    const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
    const errors = run.stdout
      .split('\n')
      .filter((line) => line.startsWith(dir) || /^[^ ].*\.ts\(\d+,\d+\)/.test(line))
      .map((line) => {
        const match = /([^/]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
        if (match === null) return line;
        const where = sources.get(match[1] as string);
        if (where === undefined) return line; // an error inside a package, reported as is
        const [file, start] = where.split(':');
        return `${file}:${Number(start) + Number(match[2])}: ${match[4]?.replace(/^error TS\d+: /, '')}`;
      });
    const known = (error: string) => {
      const [file, , message] = error.split(/:(\d+): /);
      return KNOWN_DOC_FAILURES[file as string]?.includes(message as string) === true;
    };
    const fresh = errors.filter((error) => !known(error));
    expect(fresh, `TypeScript blocks that do not typecheck:\n${fresh.join('\n')}`).toEqual([]);
    const fixed = Object.entries(KNOWN_DOC_FAILURES).flatMap(([file, messages]) =>
      messages.filter(
        (message) => !errors.some((error) => error.startsWith(`${file}:`) && error.endsWith(`: ${message}`)),
      ),
    );
    expect(fixed, 'known failures that are fixed now: remove them from known-doc-failures.ts').toEqual([]);
  }, 240_000);
});
