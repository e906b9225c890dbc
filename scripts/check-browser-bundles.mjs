#!/usr/bin/env node
// Proves that every selfsup package except the CLI bundles for a browser (decision 0004): each
// package's main entry, and every entry it exports for pages, is bundled with esbuild for
// `platform: 'browser'` from source (the `@selfsup/source` condition), its dependencies included,
// and the bundle must hold no Node built-in (`node:*`, `fs`, `child_process`, …) and none of the
// Node-only packages (sharp, fluent-ffmpeg, native tokenizers, tfjs-node). Prints each bundle's
// size (minified, and gzipped) so a change that bloats a page shows up.
//   node scripts/check-browser-bundles.mjs            all packages
//   node scripts/check-browser-bundles.mjs augment    one package
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
/** Packages that are Node tools by nature. */
const NODE_ONLY_PACKAGES = new Set(['@selfsup/cli']);
/** Entries that serve Node-side tooling of a page (a Vite config), not the page itself. */
const NODE_SIDE_ENTRIES = new Set(['./vite', './package.json']);
const FORBIDDEN_PACKAGES = [
  'sharp',
  'fluent-ffmpeg',
  'tokenizers',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@ffmpeg-installer/ffmpeg',
  '@ffprobe-installer/ffprobe',
];
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function isForbidden(path) {
  if (path.startsWith('node:') || builtins.has(path)) return 'a Node built-in';
  const bare = path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0];
  return FORBIDDEN_PACKAGES.includes(bare) ? 'a Node-only package' : undefined;
}

/** An esbuild plugin that records every forbidden import and who made it, instead of failing on the first. */
function forbiddenImports(found) {
  return {
    name: 'forbidden-imports',
    setup(context) {
      context.onResolve({ filter: /.*/ }, (args) => {
        const why = isForbidden(args.path);
        // A dependency's own Node branches (tfjs's `require('fs')`) are left to esbuild, which
        // honours the dependency's `browser` field and fails on a built-in nothing maps away.
        if (why === undefined || args.importer.includes('/node_modules/')) return undefined;
        found.push(`${args.path} (${why}) imported by ${args.importer.replace(`${root}/`, '')}`);
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Bundles one entry (a file, or `stdin` contents) as a page would get it and records its size and
 * every forbidden import under `name`.
 */
async function checkBundle(name, input) {
  const found = [];
  let bytes = 0;
  let gzipped = 0;
  try {
    const output = await build({
      ...input,
      bundle: true,
      write: false,
      minify: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['@selfsup/source'],
      logLevel: 'silent',
      plugins: [forbiddenImports(found)],
    });
    const text = output.outputFiles[0].contents;
    bytes = text.length;
    gzipped = gzipSync(text).length;
  } catch (error) {
    found.push(`esbuild failed: ${error.message.split('\n').slice(0, 6).join(' | ')}`);
  }
  results.push({ name, bytes, gzipped, found });
  if (found.length > 0) failed = true;
}

const only = process.argv.slice(2);
const results = [];
let failed = false;
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  if (NODE_ONLY_PACKAGES.has(manifest.name) || (only.length > 0 && !only.includes(dir))) continue;
  for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
    if (NODE_SIDE_ENTRIES.has(entry) || typeof target !== 'object') continue;
    const condition = target['@selfsup/source'];
    // An entry may itself split by platform ({ browser, default }): a page gets the browser file.
    const source = typeof condition === 'object' ? (condition.browser ?? condition.default) : condition;
    const name = `${manifest.name}${entry === '.' ? '' : entry.slice(1)}`;
    await checkBundle(name, { entryPoints: [join(root, 'packages', dir, source)] });
  }
}

// The smallest useful page: the engine, SimCLR's augmentations and its loss (tree-shaken).
if (only.length === 0) {
  await checkBundle('page: backend + augment + losses', {
    stdin: {
      contents: [
        "import { initBackend, createRng } from '@selfsup/backend';",
        "import { simclrPreset, twoViews } from '@selfsup/augment';",
        "import { ntXent } from '@selfsup/losses';",
        'export async function views(images) {',
        "  await initBackend({ backend: 'auto' });",
        '  const [a, b] = twoViews(simclrPreset({ size: [32, 32] }))(images, createRng(0));',
        '  return ntXent([a, b], { temperature: 0.5 });',
        '}',
      ].join('\n'),
      resolveDir: join(root, 'packages', 'trainer'),
      loader: 'js',
    },
  });
}

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
for (const { name, bytes, gzipped, found } of results) {
  if (found.length === 0)
    console.log(`ok    ${name.padEnd(34)} ${kib(bytes).padStart(9)} min, ${kib(gzipped).padStart(8)} gzip`);
  else {
    console.log(`FAIL  ${name}`);
    for (const line of [...new Set(found)]) console.log(`        ${line}`);
  }
}
if (failed) {
  console.error(
    '\ncheck-browser-bundles: Node-only code reaches a browser bundle (see decision 0004 for the platform split)',
  );
  process.exit(1);
}
