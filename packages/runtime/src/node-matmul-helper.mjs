// A matmul helper thread: registers tsx (the engine is TypeScript), then runs the helper loop.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runMatmulHelper } = await import('@hgrad/engine');
runMatmulHelper(workerData);
