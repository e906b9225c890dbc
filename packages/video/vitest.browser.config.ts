import { defineConfig } from 'vitest/config';
import { sharedBrowserTestConfig } from '../../vitest.browser.shared.js';

// The global setup (Node) writes WebM videos with ffmpeg and extracts ffmpeg's frames of them,
// which the browser tests compare with the frames Chromium's <video> gives.
export default defineConfig({
  ...sharedBrowserTestConfig,
  test: { ...sharedBrowserTestConfig.test, globalSetup: ['./src/test-browser-videos.ts'] },
});
