#!/usr/bin/env node
// Packs every public workspace package with `pnpm pack`, installs the tarballs with npm into a
// scratch project outside the workspace, and runs each package's `pack-smoke.mjs` there.
// Catches what only a published package shows: broken `exports`, files missing from `files`,
// `workspace:`/`catalog:` ranges left unreplaced, dependencies only the workspace provides,
// incomplete package metadata, a `bin` that is missing or not executable.
//
// --pipeline: then runs a small pipeline through the packed `selfsup` CLI, as a user would after
// `npm install`: pretrain (with evaluation), export the encoder, load it with one call in a
// script, and train a pretext task from a TypeScript plugin (apps/quadrant-order-plugin).
// `pnpm release:dry` is build + this. --keep leaves the scratch project for inspection.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const pnpm = ['-y', 'pnpm@10'];
const keep = process.argv.includes('--keep');
const pipeline = process.argv.includes('--pipeline');

/** Fields every published package.json must fill in. */
function missingMetadata(manifest) {
  const missing = [];
  if (typeof manifest.description !== 'string' || manifest.description.length < 20) missing.push('description');
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) missing.push('keywords');
  if (typeof manifest.license !== 'string') missing.push('license');
  if (typeof manifest.repository?.url !== 'string' || typeof manifest.repository?.directory !== 'string')
    missing.push('repository (url and directory)');
  if (typeof manifest.engines?.node !== 'string') missing.push('engines.node');
  if (manifest.type !== 'module') missing.push('type: module');
  return missing;
}

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
  const missing = missingMetadata(packed);
  if (missing.length > 0) throw new Error(`pack-check: ${manifest.name}'s package.json lacks ${missing.join(', ')}`);
  const listing = run('tar', ['-tvzf', tarball]);
  if (!/ package\/README\.md$/m.test(listing))
    throw new Error(`pack-check: ${manifest.name} is packed without its README.md`);
  for (const bin of Object.values(packed.bin ?? {})) {
    const entry = `package/${bin.replace(/^\.\//, '')}`;
    const line = listing.split('\n').find((l) => l.endsWith(` ${entry}`));
    if (line === undefined) throw new Error(`pack-check: ${manifest.name}'s bin ${bin} is not in the tarball`);
    if (!/^-rwx/.test(line)) throw new Error(`pack-check: ${manifest.name}'s bin ${bin} is not executable`);
    if (!run('tar', ['-xOzf', tarball, entry]).startsWith('#!/usr/bin/env node'))
      throw new Error(`pack-check: ${manifest.name}'s bin ${bin} has no #!/usr/bin/env node line`);
  }
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
if (pipeline) {
  // A small pipeline through the packed CLI, as a user runs it after `npm install`.
  console.log('pack-check: a pipeline through the packed selfsup CLI');
  const env = { ...process.env, SELFSUP_BACKEND: 'wasm' };
  const selfsup = (args) => {
    console.log(`  $ selfsup ${args.join(' ')}`);
    return run(join(project, 'node_modules', '.bin', 'selfsup'), args, { cwd: project, env });
  };
  try {
    const trained = JSON.parse(
      selfsup([
        'pretrain',
        '--data',
        'embedded',
        '--set',
        'data.limit=1024',
        '--batch-size',
        '128',
        '--epochs',
        '1',
        '--set',
        'model.options.widths=[16,32]',
        '--set',
        'model.options.strides=[1,2]',
        '--set',
        'evaluation.probeEpochs=2',
        '--out',
        'runs/packed',
        '--json',
        '--quiet',
      ]),
    );
    if (trained.steps !== 8 || trained.evaluation.length !== 3)
      throw new Error(`unexpected result ${JSON.stringify(trained)}`);
    selfsup([
      'eval',
      '--checkpoint',
      'runs/packed',
      '--labels',
      join(project, 'node_modules', '@selfsup', 'data', 'datasets', 'fashion-mnist-subset'),
      '--probe-epochs',
      '1',
      '--quiet',
    ]);
    selfsup(['export', 'runs/packed', '--encoder-only', '--out', 'encoder', '--quiet']);
    writeFileSync(
      join(project, 'load-encoder.mjs'),
      "import { initBackend, tf } from '@selfsup/backend';\nimport { loadEncoder } from '@selfsup/models';\n" +
        "await initBackend({ log: false });\nconst encoder = await loadEncoder('encoder');\n" +
        'const features = tf.tidy(() => encoder.apply(tf.zeros([2, 28, 28, 1]), { training: false }));\n' +
        "if (features.shape.join() !== '2,32') throw new Error('features ' + features.shape);\nconsole.log('  loadEncoder: features [2, 32]');\n",
    );
    console.log(run('node', ['load-encoder.mjs'], { cwd: project, env }).trim());
    copyFileSync(
      join(root, 'apps', 'quadrant-order-plugin', 'src', 'quadrant-order-plugin.ts'),
      join(project, 'quadrant-order-plugin.ts'),
    );
    const plugged = JSON.parse(
      selfsup([
        'pretrain',
        '--plugin',
        './quadrant-order-plugin.ts',
        '--task',
        'quadrant-order',
        '--data',
        'embedded',
        '--set',
        'data.limit=256',
        '--batch-size',
        '64',
        '--max-steps',
        '3',
        '--set',
        'evaluation.enabled=false',
        '--set',
        'model.options.widths=[8,16]',
        '--set',
        'model.options.strides=[1,2]',
        '--out',
        'runs/plugin',
        '--json',
        '--quiet',
      ]),
    );
    if (plugged.steps !== 3 || plugged.objective.id !== 'quadrant-order')
      throw new Error(`unexpected result ${JSON.stringify(plugged)}`);
    console.log('  ok: pretrain → eval → export → loadEncoder, and a TypeScript plugin task, through the packed CLI');
  } catch (error) {
    console.error(`  FAILED pipeline: ${error.message}`);
    failures++;
  }
}
if (!keep) rmSync(scratch, { recursive: true, force: true });
if (failures > 0) {
  console.error(`pack-check: ${failures} package(s) failed`);
  process.exit(1);
}
console.log('pack-check: all packages install and run from their tarballs');
