// Checks the WebAssembly kernels that compute a float32 function in float64 without the exact
// library call (activations.wat's tanh and sigmoid, softmax.wat's expf) against the TypeScript
// kernels' Math.fround(Math.tanh(x)), Math.fround(1 / (1 + Math.exp(-x))) and
// Math.fround(Math.exp(x)) on every float32 input: all 2^32 bit patterns (a NaN's payload aside,
// which a Float32Array store does not keep). It also reports how often each fell back to the
// exact function. About three minutes for all three; run after changing any of them:
//   node engine/scripts/check-kernels.mjs [tanh|sigmoid|exp] [--unchecked]
// --unchecked takes the kernels' rounding check out (both ends of the interval are the value
// itself) and lists inputs that then round the other way: the near-boundary inputs the unit test
// (engine/test/wasm-kernels.test.ts) must see the kernels catch.
import { readFileSync } from 'node:fs';
import initWabt from 'wabt';
import { expandWat } from './wat.mjs';

const wabt = await initWabt();
const unchecked = process.argv.includes('--unchecked');
const only = process.argv.slice(2).find((a) => !a.startsWith('--'));
const cases = [
  { name: 'tanh', file: 'activations.wat', kernel: 'tanh', exact: Math.tanh },
  { name: 'sigmoid', file: 'activations.wat', kernel: 'sigmoid', exact: (v) => 1 / (1 + Math.exp(-v)) },
  { name: 'exp', file: 'softmax.wat', kernel: 'expf', exact: Math.exp },
].filter((c) => !only || c.name === only);

let failed = false;
for (const { name, file, kernel, exact } of cases) {
  const text = expandWat(readFileSync(new URL(`../src/backend/wasm/${file}`, import.meta.url), 'utf8'));
  // The interval's ends: 1 ∓ 2^-34 (tanh) or 1 ∓ 2^-36.
  const ends = /0x1\.ffffffff8p-1|0x1\.000000004p0|0x1\.ffffffffep-1|0x1\.000000001p0/g;
  const source = unchecked ? text.replace(ends, '1') : text;
  const parsed = wabt.parseWat(file, source, { simd: true });
  parsed.validate();
  let calls = 0;
  const counted = (v) => (calls++, exact(v));
  const chunk = 1 << 22;
  const memory = new WebAssembly.Memory({ initial: (chunk * 8) / 65536 + 1 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(parsed.toBinary({}).buffer), {
    m: { tanh: counted, sigmoid: counted },
    env: { memory },
  });
  // softmax.wat has its own memory; activations.wat uses (and exports) the one given.
  const missing = (chunk * 8) / 65536 + 1 - exports.memory.buffer.byteLength / 65536;
  if (missing > 0) exports.memory.grow(missing);
  const bits = new Uint32Array(exports.memory.buffer, 0, chunk);
  const x = new Float32Array(exports.memory.buffer, 0, chunk);
  const out = new Float32Array(exports.memory.buffer, chunk * 4, chunk);
  const outBits = new Uint32Array(exports.memory.buffer, chunk * 4, chunk);
  const want = new Float32Array(1);
  const wantBits = new Uint32Array(want.buffer);
  let wrong = 0;
  const wrongBits = [];
  for (let start = 0; start < 2 ** 32; start += chunk) {
    for (let i = 0; i < chunk; i++) bits[i] = start + i;
    exports[kernel](0, chunk * 4, chunk);
    for (let i = 0; i < chunk; i++) {
      want[0] = exact(x[i]);
      if (outBits[i] === wantBits[0] || (out[i] !== out[i] && want[0] !== want[0])) continue;
      if (unchecked) wrongBits.push(bits[i]);
      else if (wrong < 10)
        console.log(`${name}(${x[i]}) (0x${bits[i].toString(16)}): ${out[i]}, wanted ${want[0]}`);
      wrong++;
    }
  }
  if (unchecked) {
    // Twelve spread over them (they come in runs of neighbours).
    const picks = Array.from(
      { length: Math.min(12, wrongBits.length) },
      (_, j) => wrongBits[Math.floor((j * wrongBits.length) / Math.min(12, wrongBits.length))],
    );
    console.log(
      `${name} without its check, for example: ${picks.map((b) => `0x${b.toString(16)}`).join(', ')}`,
    );
  }
  const fellBack = file === 'activations.wat' ? `; ${calls} values took the exact function` : '';
  console.log(`${name}: ${wrong} of 2^32 inputs differ${fellBack}`);
  failed ||= wrong > 0 && !unchecked;
}
process.exit(failed ? 1 : 0);
