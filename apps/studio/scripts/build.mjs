// Builds the desktop app's three entry points with Vite: main (ESM for Node), preload (one
// CommonJS file, as a sandboxed preload must be) and the renderer. Needs no Electron binary.
import { build, defaultServerConditions } from 'vite';
import { resolve } from 'node:path';
import { rendererConfig, SOURCE_CONDITION } from '../renderer.vite.ts';

const root = resolve(import.meta.dirname, '..');

function nodeBundle(entry, outDir, format, fileName) {
  return build({
    configFile: false,
    root,
    logLevel: 'warn',
    ssr: { noExternal: true, resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
    build: {
      ssr: resolve(root, entry),
      outDir: resolve(root, outDir),
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { external: ['electron', /^node:/], output: { format, entryFileNames: fileName } },
    },
  });
}

await nodeBundle('src/main/index.ts', 'out/main', 'es', 'index.js');
await nodeBundle('src/preload/index.ts', 'out/preload', 'cjs', 'index.cjs');
await build({ ...rendererConfig(resolve(root, 'out/renderer')), configFile: false, logLevel: 'warn' });
console.log('built out/main, out/preload and out/renderer');
