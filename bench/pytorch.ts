// PyTorch as a peer in the same run: bench/torch_bench.py under Debian's /usr/bin/python3
// (python3-torch, with libopenblas0-pthread as its users have it), once per thread count, with
// the thread count pinned on every level (OpenBLAS, OpenMP, torch). Prints the configuration
// torch reports and warns loudly when it runs on the reference BLAS. Skipped, with a message,
// where it is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface TorchFigures {
  torch: string;
  threads: number;
  config: {
    blas: string;
    reference_blas: boolean;
    openblas_threads: string | null;
    omp_threads: string | null;
    mkldnn: boolean;
    cpu_capability: string;
  };
  matmul: Record<string, number>;
  mlp: number;
  cnn: number;
  /** The CNN with a BatchNorm2d after each convolution. */
  cnnBn: number;
  rnn: number;
  rnnCell: number;
  tiny: number;
  overhead: number;
}

export function torchFigures(threads: number): TorchFigures | null {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) {
    console.log('\nPyTorch: skipped (no /usr/bin/python3; install Debian python3-torch to compare)');
    return null;
  }
  const script = new URL('./torch_bench.py', import.meta.url).pathname;
  const n = String(threads);
  const r = spawnSync(python, [script, n], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n },
  });
  if (r.status !== 0) {
    console.log(
      `\nPyTorch: skipped (${(r.stderr || r.error?.message || 'failed').trim().split('\n').at(-1)})`,
    );
    return null;
  }
  const figures = JSON.parse(r.stdout) as TorchFigures;
  const c = figures.config;
  console.log(
    `\nPyTorch ${figures.torch}, ${figures.threads} thread(s): BLAS ${c.blas}; OPENBLAS_NUM_THREADS=${c.openblas_threads}, OMP_NUM_THREADS=${c.omp_threads}; oneDNN ${c.mkldnn ? 'on' : 'off'}`,
  );
  if (c.reference_blas)
    console.log(
      '!!! WARNING: this PyTorch runs on the reference BLAS, not an optimized one: its matmuls are several times slower than its users see. Install libopenblas0-pthread (scripts/setup.sh does) and run the bench again. !!!',
    );
  return figures;
}
