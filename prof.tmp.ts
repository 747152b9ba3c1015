import * as hg from './engine/src/index.ts';
function run() {
  const x = hg.randn([4], { requiresGrad: true });
  let y = x;
  const one = hg.ones([4]);
  for (let i = 0; i < 10000; i++) y = y.add(one);
  y.sum().backward();
}
for (let i = 0; i < 3; i++) run();
const t0 = performance.now();
for (let i = 0; i < 40; i++) run();
console.log((((performance.now() - t0) / 40 / 10000) * 1000).toFixed(2), 'µs/op');
