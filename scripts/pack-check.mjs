#!/usr/bin/env node
// Packs every public workspace package with `pnpm pack`, installs the tarballs with npm into a
// scratch project outside the workspace, and runs each package's `pack-smoke.mjs` there.
// Catches what only a published package shows: broken `exports`, files missing from `files`,
// `workspace:`/`catalog:` ranges left unreplaced, dependencies only the workspace provides.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const pnpm = ['-y', 'pnpm@10'];
const keep = process.argv.includes('--keep');

function run(command, args, options = {}) {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true);

const scratch = mkdtempSync(join(tmpdir(), 'selfsup-pack-'));
const tarballs = join(scratch, 'tarballs');
mkdirSync(tarballs);
console.log(`pack-check: packing ${packages.length} packages into ${scratch}`);

const dependencies = {};
for (const { dir, manifest } of packages) {
  const output = run('npx', [...pnpm, 'pack', '--pack-destination', tarballs], { cwd: dir });
  const tarball = output.trim().split('\n').pop();
  if (tarball === undefined || !tarball.endsWith('.tgz'))
    throw new Error(`pack-check: pnpm pack printed no tarball for ${manifest.name}`);
  const packed = JSON.parse(run('tar', ['-xOzf', tarball, 'package/package.json']));
  const leftovers = JSON.stringify(packed).match(/"(workspace|catalog):[^"]*"/g);
  if (leftovers)
    throw new Error(`pack-check: ${manifest.name} was packed with unresolved ranges ${leftovers.join(', ')}`);
  dependencies[manifest.name] = `file:${tarball}`;
  console.log(`  ${manifest.name}@${manifest.version} -> ${tarball}`);
}

const project = join(scratch, 'project');
mkdirSync(project);
writeFileSync(
  join(project, 'package.json'),
  `${JSON.stringify({ name: 'selfsup-pack-check', private: true, type: 'module', dependencies }, null, 2)}\n`,
);
console.log('pack-check: npm install of the tarballs (outside the workspace)');
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'inherit' });

let failures = 0;
for (const { dir, manifest } of packages) {
  const smoke = join(dir, 'pack-smoke.mjs');
  if (!existsSync(smoke)) {
    console.error(`pack-check: ${manifest.name} has no pack-smoke.mjs`);
    failures++;
    continue;
  }
  const target = join(project, `smoke-${manifest.name.replace(/[@/]/g, '_')}.mjs`);
  writeFileSync(target, readFileSync(smoke));
  try {
    const out = run('node', [target], { cwd: project, env: { ...process.env, SELFSUP_BACKEND: 'wasm' } });
    console.log(`  ok ${manifest.name}: ${out.trim().split('\n').pop()}`);
  } catch (error) {
    console.error(`  FAILED ${manifest.name}: ${error.message}`);
    failures++;
  }
}
if (!keep) rmSync(scratch, { recursive: true, force: true });
if (failures > 0) {
  console.error(`pack-check: ${failures} package(s) failed`);
  process.exit(1);
}
console.log('pack-check: all packages install and run from their tarballs');
