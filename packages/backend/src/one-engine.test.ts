import { readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = resolve(packageDir, '../..');

/** Where `fromPackage` (resolved from the backend) finds tfjs-core. */
function tfjsCoreSeenBy(fromPackage: string): string {
  const requireFromBackend = createRequire(join(packageDir, 'package.json'));
  const packageJson = requireFromBackend.resolve(`${fromPackage}/package.json`);
  const requireFromThere = createRequire(packageJson);
  return realpathSync(dirname(requireFromThere.resolve('@tensorflow/tfjs-core/package.json')));
}

describe('one tfjs engine', () => {
  it('the workspace installs exactly one tfjs-core', () => {
    const store = readdirSync(join(workspaceRoot, 'node_modules', '.pnpm')).filter((entry) =>
      entry.startsWith('@tensorflow+tfjs-core@'),
    );
    expect(store).toHaveLength(1);
  });

  it('the backend and every tfjs package it loads resolve the same tfjs-core', () => {
    const own = realpathSync(
      dirname(createRequire(join(packageDir, 'package.json')).resolve('@tensorflow/tfjs-core/package.json')),
    );
    for (const dependency of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']) {
      expect(tfjsCoreSeenBy(dependency)).toBe(own);
    }
  });
});
