import { defineConfig } from 'vitest/config';
import { sharedBrowserTestConfig } from '../../vitest.browser.shared.js';

export default defineConfig(sharedBrowserTestConfig);
