import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions } from 'vite';
import type { ViteUserConfig } from 'vitest/config';

/**
 * Browser tests every package shares: `*.browser.test.ts` beside the code, run by vitest's browser
 * mode in Debian's Chromium (never a downloaded browser; `SELFSUP_CHROMIUM` overrides the path).
 * Sibling packages are read from `src/` (the `@selfsup/source` condition) with the `browser`
 * condition, so each package's `#<topic>` imports resolve to their `.browser.ts` variants.
 * SwiftShader gives WebGL and WebGPU on a machine without a GPU (correctness, not speed).
 */
export const sharedBrowserTestConfig: ViteUserConfig = {
  resolve: { conditions: ['@selfsup/source', ...defaultClientConditions] },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
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
