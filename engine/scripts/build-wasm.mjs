// Assembles the engine's WebAssembly kernels (engine/src/backend/wasm/*.wat) with wabt and
// writes each as a base64 TypeScript module beside its source, so the engine needs no build
// step or file loading at run time. `--check` fails if a committed module is out of date.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initWabt from 'wabt';
import { expandWat } from './wat.mjs';

const dir = new URL('../src/backend/wasm/', import.meta.url).pathname;
const check = process.argv.includes('--check');
const wabt = await initWabt();
let stale = 0;
// A kernel whose source says `;; variant: shared` is also built over a shared memory (the
// threads', the arena's): the same code importing a shared memory in place of its own memory or
// of the plain memory it imports.
const SHARED = '(import "env" "memory" (memory 1 32768 shared))';
const OWN_MEMORY = ['(memory (export "memory") 1)', '(import "env" "memory" (memory 1))'];

function emit(name, source, label) {
  const features = { simd: true, threads: true };
  const parsed = wabt.parseWat(label, source, features);
  parsed.validate(features);
  const { buffer } = parsed.toBinary({});
  const target = join(dir, `${name}.wasm.ts`);
  const text =
    `// Generated from ${label} by engine/scripts/build-wasm.mjs; do not edit.\n` +
    `export const BYTES_BASE64 =\n  '${Buffer.from(buffer).toString('base64')}';\n`;
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current === text) return;
  if (check) {
    console.error(`${target} is out of date: run node engine/scripts/build-wasm.mjs`);
    stale++;
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target} (${buffer.length} bytes)`);
  }
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
  const source = expandWat(readFileSync(join(dir, file), 'utf8'));
  const name = file.replace(/\.wat$/, '');
  emit(name, source, file);
  if (source.includes(';; variant: shared')) {
    const own = OWN_MEMORY.find((declaration) => source.includes(declaration));
    if (!own) throw new Error(`${file}: a shared variant needs one of ${OWN_MEMORY.join(' or ')}`);
    emit(`${name}-shared`, source.replace(own, SHARED), `${file} (shared memory)`);
  }
}
process.exit(stale ? 1 : 0);
