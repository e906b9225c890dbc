// Writes the task reference — every built-in task with its description, head, options, defaults
// and their meanings, generated from the tasks' declarations — to dist/tasks.md (not committed;
// shipped in the package). `pnpm build` runs it after tsc.
// Run: npx -y pnpm@10 --filter @selfsup/cli docs:tasks [--out <file>]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateTaskReference } from '../src/docs/generate-task-reference.js';
import { createRegistries, loadBuiltinTaskMaps } from '../src/registries/registries.js';
import { readTaskOptionDocs } from './task-option-docs.js';

// pnpm passes a `--` through to the script: it separates nothing here.
const args = process.argv.slice(2).filter((arg) => arg !== '--');
const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
const target = values.out === undefined ? join(import.meta.dirname, '..', 'dist', 'tasks.md') : resolve(values.out);
// Making a task creates no tensors: no backend is started.
const registries = createRegistries(await loadBuiltinTaskMaps());
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, generateTaskReference(registries, readTaskOptionDocs(registries.tasks)));
console.log(`wrote ${target}`);
