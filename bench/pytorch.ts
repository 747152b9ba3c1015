// PyTorch as a peer in the same run: bench/torch_bench.py under Debian's /usr/bin/python3
// (python3-torch). Skipped, with a message, where it is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface TorchFigures {
  torch: string;
  threads: number;
  matmul: Record<string, number>;
  mlp: number;
  rnn: number;
  tiny: number;
  overhead: number;
}

export function torchFigures(): TorchFigures | null {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) {
    console.log('\nPyTorch: skipped (no /usr/bin/python3; install Debian python3-torch to compare)');
    return null;
  }
  const script = new URL('./torch_bench.py', import.meta.url).pathname;
  const r = spawnSync(python, [script], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) {
    console.log(
      `\nPyTorch: skipped (${(r.stderr || r.error?.message || 'failed').trim().split('\n').at(-1)})`,
    );
    return null;
  }
  return JSON.parse(r.stdout) as TorchFigures;
}
