// Writes docs/cli-reference.md from the code (command specs, exit codes, config schema, registries).
// Tasks are not listed there one by one: see scripts/write-task-reference.ts.
// Run: npx -y pnpm@10 --filter @selfsup/cli docs:reference
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateReference } from '../src/docs/generate-reference.js';
import { createRegistries, loadBuiltinTaskMaps } from '../src/registries/registries.js';

const target = join(import.meta.dirname, '..', '..', '..', 'docs', 'cli-reference.md');
writeFileSync(target, generateReference(createRegistries(await loadBuiltinTaskMaps())));
console.log(`wrote ${target}`);
