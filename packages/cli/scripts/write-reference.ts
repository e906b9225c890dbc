// Writes docs/cli-reference.md from the code (command specs, exit codes, config schema, registries,
// and the tasks' option TSDoc).
// Run: npx -y pnpm@10 --filter @selfsup/cli docs:reference
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { generateReference } from '../src/docs/generate-reference.js';
import { readTaskOptionDocs } from '../src/docs/task-option-docs.js';
import { createRegistries, loadBuiltinTaskMaps } from '../src/registries/registries.js';

// Some tasks make tensors when they are made (to list their defaults): the cpu backend, as the test.
await initBackend({ backend: 'cpu', log: false });
const target = join(import.meta.dirname, '..', '..', '..', 'docs', 'cli-reference.md');
const registries = createRegistries(await loadBuiltinTaskMaps());
writeFileSync(target, generateReference(registries, readTaskOptionDocs(registries.tasks)));
console.log(`wrote ${target}`);
