import { playwright } from '@vitest/browser-playwright';
import type { ViteUserConfig } from 'vitest/config';
// From source: the config loads before any build, and the root does not depend on the package.
import { selfsupWasmFiles } from './packages/backend/src/vite-plugin.js';

/** Vite's default client conditions (`defaultClientConditions`), after selfsup's source condition. */
const BROWSER_CONDITIONS = ['@selfsup/source', 'module', 'browser', 'development|production'];

/**
 * Browser tests every package shares: `*.browser.test.ts` beside the code, run by vitest's browser
 * mode in Debian's Chromium (never a downloaded browser; `SELFSUP_CHROMIUM` overrides the path).
 * Sibling packages are read from `src/` (the `@selfsup/source` condition) with the `browser`
 * condition, so each package's `#<topic>` imports resolve to their `.browser.ts` variants.
 * SwiftShader gives WebGL and WebGPU on a machine without a GPU (correctness, not speed).
 */
export const sharedBrowserTestConfig: ViteUserConfig = {
  plugins: [selfsupWasmFiles()],
  resolve: { conditions: BROWSER_CONDITIONS },
  // Pre-bundle tfjs before the first test: discovered mid-run, Vite reloads the page and a
  // backend started before the reload is gone ("no backend could start"). Resolved through
  // @selfsup/backend, which every package depends on (pnpm keeps tfjs out of their own reach).
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-webgpu',
    ].map((dependency) => `@selfsup/backend > ${dependency}`),
  },
  test: {
    include: ['src/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.SELFSUP_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--enable-unsafe-swiftshader',
            '--enable-unsafe-webgpu',
            '--use-webgpu-adapter=swiftshader',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
};
