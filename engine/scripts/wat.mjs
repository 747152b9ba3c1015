// The one preprocessing step the .wat kernels get before wabt assembles them: a block of lines
// between `;; twice {` and `;; }` is written out twice, every `@` in it replaced by 0 the first
// time and 1 the second. A loop working on two independent vectors at once (so that one's
// multiply-adds run while the other's wait: two float64 pairs from one float32x4 load) then says
// its arithmetic once: `(local.set $r@ …(local.get $k@)…)` becomes $r0/$k0, then $r1/$k1.
// Used by build-wasm.mjs and check-kernels.mjs.
export function expandWat(source) {
  const out = [];
  let block = null;
  source.split('\n').forEach((line, i) => {
    if (/^\s*;; twice \{\s*$/.test(line)) {
      if (block) throw new Error(`line ${i + 1}: a twice block inside another`);
      block = [];
    } else if (/^\s*;; \}\s*$/.test(line) && block) {
      for (const k of ['0', '1']) out.push(...block.map((l) => l.replaceAll('@', k)));
      block = null;
    } else (block ?? out).push(line);
  });
  if (block) throw new Error('a twice block without its closing `;; }`');
  return out.join('\n');
}
