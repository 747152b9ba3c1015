// Assembles the engine's WebAssembly kernels (engine/src/backend/wasm/*.wat) with wabt and
// writes each as a base64 TypeScript module beside its source, so the engine needs no build
// step or file loading at run time. `--check` fails if a committed module is out of date.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initWabt from 'wabt';

const dir = new URL('../src/backend/wasm/', import.meta.url).pathname;
const check = process.argv.includes('--check');
const wabt = await initWabt();
let stale = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
  const parsed = wabt.parseWat(file, readFileSync(join(dir, file), 'utf8'), { simd: true });
  parsed.validate();
  const { buffer } = parsed.toBinary({});
  const name = file.replace(/\.wat$/, '');
  const target = join(dir, `${name}.wasm.ts`);
  const text =
    `// Generated from ${file} by engine/scripts/build-wasm.mjs; do not edit.\n` +
    `export const BYTES_BASE64 =\n  '${Buffer.from(buffer).toString('base64')}';\n`;
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current === text) continue;
  if (check) {
    console.error(`${target} is out of date: run node engine/scripts/build-wasm.mjs`);
    stale++;
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target} (${buffer.length} bytes)`);
  }
}
process.exit(stale ? 1 : 0);
