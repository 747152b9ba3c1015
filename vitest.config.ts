import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve each other's sources (see .npmrc); a packed engine uses dist/.
const SOURCE = '@hgrad/source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions], externalConditions: [SOURCE] } },
  test: {
    include: ['engine/**/*.test.ts', 'packages/**/*.test.ts', 'apps/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'e2e/**'],
    testTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['engine/src/**', 'packages/*/src/**', 'apps/cli/src/**', 'apps/studio/src/main/**'],
      // The WebAssembly text sources are compiled to bytes; they are not JavaScript to measure.
      exclude: ['**/*.test.ts', '**/*.wat'],
      reporter: ['text-summary', 'json-summary'],
      // The engine must stay at least 90% line-covered (issue: engine core).
      thresholds: { 'engine/src/**': { lines: 90 } },
    },
  },
});
