// The renderer's Vite settings, shared by the Electron build and the plain web build.
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defaultClientConditions, type UserConfig } from 'vite';

/** Workspace packages resolve each other's sources (see .npmrc); a packed engine uses dist/. */
export const SOURCE_CONDITION = '@hgrad/source';

export const rendererRoot = resolve(import.meta.dirname, 'src/renderer');

export function rendererConfig(outDir: string): UserConfig {
  return {
    root: rendererRoot,
    base: './',
    plugins: [react()],
    resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
    worker: { format: 'es' },
    server: { host: '127.0.0.1', fs: { allow: [resolve(import.meta.dirname, '../..')] } },
    // Data files stay files: the CSP's connect-src 'self' refuses fetching inlined data: URLs.
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000, assetsInlineLimit: 0 },
  };
}
