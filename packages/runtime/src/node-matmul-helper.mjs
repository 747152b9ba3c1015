// A matmul helper thread: registers tsx (the engine is TypeScript), then runs the helper loop.
import { workerData } from 'node:worker_threads';
import './register-ts.mjs';

const { runMatmulHelper } = await import('@hgrad/engine');
runMatmulHelper(workerData);
