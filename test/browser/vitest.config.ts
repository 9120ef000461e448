// `npm run test:browser`: the browser bundle in headless Chromium (Debian's /usr/bin/chromium,
// or CHROMIUM=path), against the same computations in Node; kept out of `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
