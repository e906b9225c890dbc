// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs: the
// `selfsup` executable as npm linked it, on the embedded Fashion-MNIST subset.
import { execFileSync, spawnSync } from 'node:child_process';

const selfsup = (args) => spawnSync('node_modules/.bin/selfsup', args, { encoding: 'utf8' });

const version = selfsup(['--version']);
if (version.status !== 0 || !/^\d+\.\d+\.\d+/.test(version.stdout))
  throw new Error(`selfsup --version: ${version.stderr}`);
const list = JSON.parse(execFileSync('node_modules/.bin/selfsup', ['list', '--json'], { encoding: 'utf8' }));
for (const [section, id] of [
  ['methods', 'simclr'],
  ['tasks', 'rotation'],
  ['losses', 'nt-xent'],
  ['augmentations', 'simclr'],
]) {
  if (!list[section].some((entry) => entry.id === id)) throw new Error(`selfsup list: no ${id} among the ${section}`);
}
const dry = selfsup(['pretrain', '--data', 'embedded', '--dry-run', '--json', '--quiet']);
if (dry.status !== 0 || JSON.parse(dry.stdout).stepsPerEpoch !== 23)
  throw new Error(`selfsup pretrain --dry-run: ${dry.stderr}`);
const bad = selfsup(['pretrain', '--data', 'embedded', '--method', 'simclr', '--set', 'method.options.temprature=1']);
if (bad.status !== 3 || !bad.stderr.includes("did you mean 'temperature'"))
  throw new Error(`a bad config did not exit 3: ${bad.stderr}`);
console.log(
  `cli: selfsup ${version.stdout.trim()} lists ${list.methods.length} methods, validates a run, rejects a bad config`,
);
