#!/usr/bin/env node
// The `selfsup` command. An installed package runs its build (dist/bin.js). In a clone of the
// repository, where src/ sits beside this file, it runs the TypeScript source through tsx, so the
// command works right after `pnpm install` and never runs a stale build.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const tsx = existsSync(source) ? resolveTsx() : undefined;
if (tsx === undefined) {
  await import(new URL('../dist/bin.js', import.meta.url).href);
} else {
  const child = spawn(
    process.execPath,
    ['--import', tsx, '--conditions=@selfsup/source', source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal !== null) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
}

/** tsx's loader when the workspace has it (a clone), else undefined. */
function resolveTsx() {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return undefined;
  }
}
