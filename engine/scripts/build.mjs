// npm run build -w @hgrad/engine: ESM JavaScript, .d.ts and source maps in dist/ (the WebAssembly
// kernels are TypeScript modules holding their bytes, so they compile with everything else).
// Relative imports are written with .ts extensions in src/ and rewritten to .js on emit.
import { rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = resolve(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = spawnSync(process.execPath, [tsc, '-p', resolve(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (run.status !== 0) {
  console.error('engine build: tsc failed (see above)');
  process.exit(run.status ?? 1);
}
for (const file of ['index.js', 'index.d.ts', 'optim/schedule.js'])
  if (!existsSync(resolve(dist, file))) {
    console.error(`engine build: dist/${file} was not written`);
    process.exit(1);
  }
console.log('engine build: wrote dist/ (ESM + .d.ts + source maps)');
