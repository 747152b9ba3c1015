import * as hg from './engine/src/index.ts';
import { setMatmulKernel, matmulKernel } from './engine/src/backend/cpu/matmul.ts';
console.log(matmulKernel());
for (const [m, k, n] of [
  [5, 7, 9],
  [64, 64, 64],
  [33, 130, 17],
  [128, 128, 128],
]) {
  hg.manualSeed(0);
  const a = hg.randn([m, k]),
    b = hg.randn([k, n]);
  setMatmulKernel('wasm');
  const w = a.matmul(b);
  const wt = a.matmul(b.t().contiguous().t());
  setMatmulKernel('reference');
  const r = a.matmul(b);
  const d = w.sub(r).abs().max().item(),
    d2 = wt.sub(r).abs().max().item();
  console.log(m, k, n, d, d2);
}
for (const n of [128, 512, 1024]) {
  const a = hg.randn([n, n]),
    b = hg.randn([n, n]);
  for (const kern of ['wasm', 'reference'] as const) {
    setMatmulKernel(kern);
    a.matmul(b);
    const t0 = performance.now();
    let reps = 0;
    while (performance.now() - t0 < 1000) {
      a.matmul(b);
      reps++;
    }
    const s = (performance.now() - t0) / 1000 / reps;
    console.log(kern, n, ((2 * n * n * n) / s / 1e9).toFixed(1), 'GFLOP/s');
  }
}
