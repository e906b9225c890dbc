import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  committedDiagram,
  DIAGRAM_END,
  DIAGRAM_START,
  layeringProblems,
  layers,
  REGENERATE_COMMAND,
  REPOSITORY_ROOT,
  readWorkspaces,
  renderDiagram,
  replaceDiagram,
  type Workspace,
} from '../../../../scripts/architecture-diagram.js';

const documentPath = join(REPOSITORY_ROOT, 'docs', 'architecture.md');
const document = readFileSync(documentPath, 'utf8');
const workspaces = readWorkspaces();
const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));

/** A workspace for the checker's own tests. */
const fake = (name: string, dependsOn: string[], group: Workspace['group'] = 'packages'): Workspace => ({
  name,
  folder: `${group}/${name.replace('@selfsup/', '')}`,
  group,
  dependsOn,
  peerDependsOn: [],
  tensorflow: [],
});

/** The source files a package ships or runs: src/**.ts without tests and test helpers (as tsconfig.build.json). */
function sourceFiles(folder: string): string[] {
  return readdirSync(join(REPOSITORY_ROOT, folder, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|mts|js|mjs)$/.test(file))
    .filter((file) => !/(^|\/)testing\//.test(file) && !/\.test\.\w+$/.test(file) && !/(^|\/)test-[^/]*$/.test(file))
    .map((file) => join(folder, 'src', file));
}

/** The @selfsup packages a file imports (static `from '…'`, `import '…'` and dynamic `import('…')`). */
function importedPackages(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"](@selfsup\/[\w-]+)(?:\/[^'"]*)?['"]/g)) {
    found.add(match[1] as string);
  }
  return [...found];
}

describe('docs/architecture.md: the dependency diagram', () => {
  it(`is what the package.json files give (regenerate: ${REGENERATE_COMMAND})`, () => {
    const committed = committedDiagram(document);
    expect(committed, `docs/architecture.md has the markers ${DIAGRAM_START} … ${DIAGRAM_END}`).toBeDefined();
    expect(
      committed === renderDiagram(workspaces),
      `the diagram in docs/architecture.md differs from the packages' dependencies; regenerate it with \`${REGENERATE_COMMAND}\``,
    ).toBe(true);
  });

  it('covers every workspace of packages/ and apps/, once each', () => {
    const diagram = committedDiagram(document) ?? '';
    const lines = diagram.split('\n').filter((line) => line.startsWith('  '));
    expect(lines).toHaveLength(workspaces.length);
    expect(lines.some((line) => line.startsWith('  trainer ') && line.includes('→ data,'))).toBe(true);
  });

  it('is written back between the markers, the rest of the document kept', () => {
    expect(replaceDiagram(`a\n${DIAGRAM_START}\nold\n${DIAGRAM_END}\nb`, 'new')).toBe('a\nnew\nb');
    expect(() => replaceDiagram('no markers', 'new')).toThrow(/markers/);
  });
});

describe('dependencies point one way: apps at the top, @selfsup/backend at the bottom', () => {
  it('holds for the workspace: no cycle, backend depends on no @selfsup package, nothing depends on an app', () => {
    expect(layeringProblems(workspaces)).toEqual([]);
    const layer = layers(workspaces);
    for (const workspace of workspaces) {
      for (const dependency of workspace.dependsOn) {
        expect(layer.get(dependency), `${workspace.name} → ${dependency}`).toBeLessThan(layer.get(workspace.name) ?? 0);
      }
    }
    expect(layer.get('@selfsup/backend')).toBe(0);
  });

  it('is broken by a cycle, a dependency of backend, a package depending on an app, an unknown package', () => {
    const base = [fake('@selfsup/backend', []), fake('@selfsup/app-x', ['@selfsup/backend'], 'apps')];
    expect(layeringProblems(base)).toEqual([]);
    expect(
      layeringProblems([
        ...base,
        fake('@selfsup/a', ['@selfsup/b', '@selfsup/backend']),
        fake('@selfsup/b', ['@selfsup/a']),
      ]),
    ).toEqual(['dependency cycle: @selfsup/a → @selfsup/b → @selfsup/a']);
    expect(() => layers([fake('@selfsup/a', ['@selfsup/a'])])).toThrow(/cycle/);
    expect(layeringProblems([fake('@selfsup/backend', ['@selfsup/models']), fake('@selfsup/models', [])])).toEqual([
      '@selfsup/backend is the bottom layer but depends on @selfsup/models',
    ]);
    expect(layeringProblems([...base, fake('@selfsup/c', ['@selfsup/app-x'])])).toEqual([
      '@selfsup/c (packages/) depends on the app @selfsup/app-x: apps are the top layer',
    ]);
    expect(layeringProblems([...base, fake('@selfsup/d', ['@selfsup/nope'])])).toEqual([
      '@selfsup/d depends on @selfsup/nope, which is no workspace',
    ]);
  });

  it('matches the code: each workspace’s source imports only the @selfsup packages its package.json declares', () => {
    const undeclared: string[] = [];
    for (const workspace of workspaces) {
      const declared = new Set([workspace.name, ...workspace.dependsOn]);
      for (const file of sourceFiles(workspace.folder)) {
        const imported = importedPackages(readFileSync(join(REPOSITORY_ROOT, file), 'utf8'));
        undeclared.push(...imported.filter((name) => !declared.has(name)).map((name) => `${file} imports ${name}`));
      }
    }
    expect(undeclared, 'imports of @selfsup packages missing from dependencies/peerDependencies').toEqual([]);
    expect(importedPackages(`import { tf } from '@selfsup/backend';\nawait import("@selfsup/data/x");`)).toEqual([
      '@selfsup/backend',
      '@selfsup/data',
    ]);
  });
});

describe('docs/architecture.md: the prose', () => {
  const prose = replaceDiagram(document, '');
  /** The prose on one line, so a claim reads the same however the paragraph wraps. */
  const flat = prose.replace(/\s+/g, ' ');

  it('draws no dependency arrows of its own: the generated diagram is the only one', () => {
    expect(prose).not.toMatch(/[→►◄←]|-->|<--/);
  });

  it('claims only dependencies the package.json files have (`A` depends on / does not depend on `B`, `C` or `D`)', () => {
    const claims = [
      ...flat.matchAll(
        /`(@selfsup\/[\w-]+)` (does not depend|depends) on ((?:`@selfsup\/[\w-]+`(?:,? (?:or|and) |, )?)+)/g,
      ),
    ];
    expect(claims.length, 'the prose states which packages the trainer does not depend on').toBeGreaterThan(0);
    for (const [claim, from, verb, targets] of claims) {
      const dependsOn = byName.get(from as string)?.dependsOn;
      expect(dependsOn, `${from} is a workspace`).toBeDefined();
      for (const [, target] of (targets as string).matchAll(/`(@selfsup\/[\w-]+)`/g)) {
        expect(dependsOn?.includes(target as string), claim).toBe(verb === 'depends');
      }
    }
  });

  it('is right that every other package of packages/ takes @selfsup/backend as a peer, every app as a dependency', () => {
    expect(flat).toContain('declares it as a peer dependency');
    for (const workspace of workspaces.filter((w) => w.name !== '@selfsup/backend')) {
      const list = workspace.group === 'packages' ? workspace.peerDependsOn : workspace.dependsOn;
      expect(list, workspace.name).toContain('@selfsup/backend');
    }
  });

  it('is right that only @selfsup/backend declares @tensorflow/*', () => {
    expect(flat).toContain('Only `@selfsup/backend` imports `@tensorflow/*`');
    expect(
      workspaces.filter((workspace) => workspace.tensorflow.length > 0).map((workspace) => workspace.name),
    ).toEqual(['@selfsup/backend']);
  });
});
