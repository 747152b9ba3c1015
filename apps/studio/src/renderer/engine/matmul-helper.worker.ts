// A matmul helper thread of the engine worker (nested Web Worker): shares the kernel's memory and
// computes its rows of each product. Only started where the page is cross-origin isolated.
import { runMatmulHelper, type HelperInit } from '@hgrad/engine';

self.onmessage = (event: MessageEvent<HelperInit>) => runMatmulHelper(event.data);
