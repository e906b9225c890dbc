import { defaultClientConditions, defineConfig } from 'vite';
// From source, as vitest.browser.shared.ts does: the config loads in Node before any package is
// built. (An app outside this repository imports it as '@selfsup/backend/vite'.)
import { selfsupWasmFiles } from '../../packages/backend/src/vite-plugin.js';

/**
 * The studio reads the selfsup packages from their sources (the `@selfsup/source` condition, as
 * the browser tests do), so neither `dev` nor `build` needs the packages built first; the
 * `browser` condition among Vite's defaults picks each package's `.browser.ts` variants.
 */
export default defineConfig({
  resolve: { conditions: ['@selfsup/source', ...defaultClientConditions] },
  plugins: [selfsupWasmFiles()],
  server: { host: '127.0.0.1', port: 5178 },
  preview: { host: '127.0.0.1', port: 5178 },
  build: { target: 'es2022' },
});
