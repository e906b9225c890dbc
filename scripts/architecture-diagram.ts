// The dependency diagram of docs/architecture.md, generated from the workspaces' package.json files:
// each package of packages/ and apps/ with the @selfsup packages it depends on directly
// (`dependencies` and `peerDependencies`), grouped by layer. `architecture.test.ts` in
// packages/cli/src/docs checks the committed diagram is what this writes and that the layering holds.
// Run: npx tsx scripts/architecture-diagram.ts
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The command that rewrites the diagram in docs/architecture.md. */
export const REGENERATE_COMMAND = 'npx tsx scripts/architecture-diagram.ts';
export const DIAGRAM_START = `<!-- dependency-diagram:start — generated from the package.json files by \`${REGENERATE_COMMAND}\`; do not edit by hand -->`;
export const DIAGRAM_END = '<!-- dependency-diagram:end -->';
/** The one package every other one stands on; it depends on no @selfsup package. */
export const BOTTOM_PACKAGE = '@selfsup/backend';

const SCOPE = '@selfsup/';

export interface Workspace {
  /** Package name, e.g. `@selfsup/trainer`. */
  name: string;
  /** Folder from the repository root, e.g. `packages/trainer`. */
  folder: string;
  group: 'packages' | 'apps';
  /** The @selfsup packages in `dependencies` and `peerDependencies`, sorted, without duplicates. */
  dependsOn: string[];
  /** The @selfsup packages in `peerDependencies` alone. */
  peerDependsOn: string[];
  /** Every `@tensorflow/*` entry of `dependencies` and `peerDependencies`, `optional` for optional peers. */
  tensorflow: { name: string; optional: boolean }[];
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The repository root: the folder above scripts/. */
export const REPOSITORY_ROOT = resolve(import.meta.dirname, '..');

/** Every workspace of packages/ and apps/ (a folder with a package.json), by folder. */
export function readWorkspaces(root: string = REPOSITORY_ROOT): Workspace[] {
  const workspaces: Workspace[] = [];
  for (const group of ['packages', 'apps'] as const) {
    for (const entry of readdirSync(join(root, group)).sort()) {
      const manifestPath = join(root, group, entry, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      const dependencies = Object.keys(manifest.dependencies ?? {});
      const peers = Object.keys(manifest.peerDependencies ?? {});
      const scoped = (names: string[]) => [...new Set(names.filter((name) => name.startsWith(SCOPE)))].sort();
      workspaces.push({
        name: manifest.name,
        folder: `${group}/${entry}`,
        group,
        dependsOn: scoped([...dependencies, ...peers]),
        peerDependsOn: scoped(peers),
        tensorflow: [
          ...dependencies.map((name) => ({ name, optional: false })),
          ...peers.map((name) => ({ name, optional: manifest.peerDependenciesMeta?.[name]?.optional === true })),
        ].filter(({ name }) => name.startsWith('@tensorflow/')),
      });
    }
  }
  return workspaces;
}

/**
 * What breaks "dependencies point one way" (apps at the top, `@selfsup/backend` at the bottom):
 * a dependency on a package that is not a workspace, a cycle, a dependency of the bottom package on
 * any @selfsup package, a package of packages/ depending on an app. Empty when the layering holds.
 */
export function layeringProblems(workspaces: Workspace[]): string[] {
  const problems: string[] = [];
  const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));
  for (const workspace of workspaces) {
    for (const dependency of workspace.dependsOn) {
      const target = byName.get(dependency);
      if (target === undefined) problems.push(`${workspace.name} depends on ${dependency}, which is no workspace`);
      else if (workspace.group === 'packages' && target.group === 'apps') {
        problems.push(`${workspace.name} (packages/) depends on the app ${dependency}: apps are the top layer`);
      }
    }
  }
  const bottom = byName.get(BOTTOM_PACKAGE);
  if (bottom === undefined) problems.push(`${BOTTOM_PACKAGE} is not a workspace`);
  else if (bottom.dependsOn.length > 0) {
    problems.push(`${BOTTOM_PACKAGE} is the bottom layer but depends on ${bottom.dependsOn.join(', ')}`);
  }
  const cycle = findCycle(workspaces);
  if (cycle !== undefined) problems.push(`dependency cycle: ${cycle.join(' → ')}`);
  return problems;
}

/** One dependency cycle (its first package repeated at the end), or undefined when there is none. */
export function findCycle(workspaces: Workspace[]): string[] | undefined {
  const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (done.has(name)) return undefined;
    const at = path.indexOf(name);
    if (at >= 0) return [...path.slice(at), name];
    path.push(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      const cycle = visit(dependency);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    done.add(name);
    return undefined;
  };
  for (const workspace of workspaces) {
    const cycle = visit(workspace.name);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

/**
 * Each workspace's layer: 0 for one with no @selfsup dependency, otherwise one above its highest
 * dependency, so every dependency points to a lower layer.
 * @throws when the graph has a cycle (it has no layering then).
 */
export function layers(workspaces: Workspace[]): Map<string, number> {
  const cycle = findCycle(workspaces);
  if (cycle !== undefined) throw new Error(`no layering: dependency cycle ${cycle.join(' → ')}`);
  const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));
  const layer = new Map<string, number>();
  const layerOf = (name: string): number => {
    const known = layer.get(name);
    if (known !== undefined) return known;
    const dependencies = byName.get(name)?.dependsOn ?? [];
    const own = dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map(layerOf));
    layer.set(name, own);
    return own;
  };
  for (const workspace of workspaces) layerOf(workspace.name);
  return layer;
}

/** The diagram's name for a workspace: `trainer` for packages/trainer (`@selfsup/trainer`), else its folder. */
function label(workspace: Workspace): string {
  const short = workspace.name.slice(SCOPE.length);
  return workspace.group === 'packages' && workspace.folder === `packages/${short}` ? short : workspace.folder;
}

/**
 * The block between the markers (markers included): apps first, then packages/ by layer, highest
 * first; each line a workspace and its direct @selfsup dependencies, highest layer first.
 * @throws when the graph has a cycle.
 */
export function renderDiagram(workspaces: Workspace[]): string {
  const layer = layers(workspaces);
  const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));
  const nameOf = (name: string) => {
    const workspace = byName.get(name);
    return workspace === undefined ? name : label(workspace);
  };
  const width = Math.max(...workspaces.map((workspace) => label(workspace).length));
  const line = (workspace: Workspace) => {
    const dependencies = [...workspace.dependsOn]
      .sort((a, b) => (layer.get(b) ?? 0) - (layer.get(a) ?? 0) || nameOf(a).localeCompare(nameOf(b)))
      .map(nameOf);
    const right = dependencies.length === 0 ? '(no @selfsup dependency)' : `→ ${dependencies.join(', ')}`;
    return `  ${label(workspace).padEnd(width)}  ${right}`;
  };
  const byLabel = (a: Workspace, b: Workspace) => label(a).localeCompare(label(b));
  const lines = ['apps/ (private reference pipelines; nothing depends on them)'];
  lines.push(
    ...workspaces
      .filter((workspace) => workspace.group === 'apps')
      .sort(byLabel)
      .map(line),
  );
  const packages = workspaces.filter((workspace) => workspace.group === 'packages');
  const top = Math.max(...packages.map((workspace) => layer.get(workspace.name) ?? 0));
  for (let level = top; level >= 0; level--) {
    lines.push(`packages/, layer ${level}`);
    lines.push(
      ...packages
        .filter((workspace) => layer.get(workspace.name) === level)
        .sort(byLabel)
        .map(line),
    );
  }
  const tensorflow = workspaces
    .filter((workspace) => workspace.tensorflow.length > 0)
    .map((workspace) => {
      const names = (optional: boolean) =>
        workspace.tensorflow.filter((entry) => entry.optional === optional).map((entry) => `\`${entry.name}\``);
      const optional = names(true);
      return `- \`${workspace.name}\`: ${names(false).join(', ')}${optional.length === 0 ? '' : `; optional peers ${optional.join(', ')}`}`;
    });
  return [
    DIAGRAM_START,
    'Each line is a package of the workspace and the `@selfsup` packages it depends on directly',
    '(`dependencies` and `peerDependencies` of its package.json). A package’s layer is one above the',
    'highest layer it depends on, so every dependency points down.',
    '',
    '```text',
    ...lines,
    '```',
    '',
    'The packages that declare `@tensorflow/*` (dependencies and peer dependencies):',
    '',
    ...(tensorflow.length === 0 ? ['- none'] : tensorflow),
    '',
    DIAGRAM_END,
  ].join('\n');
}

/**
 * `document` with the block between the markers replaced by `diagram`.
 * @throws when the document lacks either marker.
 */
export function replaceDiagram(document: string, diagram: string): string {
  const start = document.indexOf(DIAGRAM_START);
  const end = document.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) {
    throw new Error(`docs/architecture.md needs the markers ${DIAGRAM_START} and ${DIAGRAM_END}, in that order`);
  }
  return document.slice(0, start) + diagram + document.slice(end + DIAGRAM_END.length);
}

/** The generated block of a document (markers included), or undefined when it has none. */
export function committedDiagram(document: string): string | undefined {
  const start = document.indexOf(DIAGRAM_START);
  const end = document.indexOf(DIAGRAM_END);
  return start < 0 || end < start ? undefined : document.slice(start, end + DIAGRAM_END.length);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  const workspaces = readWorkspaces();
  const problems = layeringProblems(workspaces);
  if (problems.length > 0) {
    console.error(`dependencies do not point one way:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const target = join(REPOSITORY_ROOT, 'docs', 'architecture.md');
  writeFileSync(target, replaceDiagram(readFileSync(target, 'utf8'), renderDiagram(workspaces)));
  console.log(`wrote the dependency diagram of ${target}`);
}
