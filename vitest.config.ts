import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // packing the tarball and driving Chromium take a minute each: `npm run test:package`, `npm run test:browser`
    exclude: [...configDefaults.exclude, 'test/package/**', 'test/browser/**'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
