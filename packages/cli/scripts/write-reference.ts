// Writes docs/cli-reference.md from the code (command specs, exit codes, config schema, registries).
// Run: npx -y pnpm@10 --filter @selfsup/cli docs:reference
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { generateReference } from '../src/docs/generate-reference.js';
import { createRegistries, loadBuiltinTaskMaps } from '../src/registries/registries.js';

// Some tasks make tensors when they are made (to list their defaults): the cpu backend, as the test.
await initBackend({ backend: 'cpu', log: false });
const target = join(import.meta.dirname, '..', '..', '..', 'docs', 'cli-reference.md');
writeFileSync(target, generateReference(createRegistries(await loadBuiltinTaskMaps())));
console.log(`wrote ${target}`);
