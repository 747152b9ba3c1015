// The renderer's Vite settings, shared by the Electron build and the plain web build.
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

export const rendererRoot = resolve(import.meta.dirname, 'src/renderer');

export function rendererConfig(outDir: string): UserConfig {
  return {
    root: rendererRoot,
    base: './',
    plugins: [react()],
    worker: { format: 'es' },
    server: { host: '127.0.0.1', fs: { allow: [resolve(import.meta.dirname, '../..')] } },
    // Data files stay files: the CSP's connect-src 'self' refuses fetching inlined data: URLs.
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000, assetsInlineLimit: 0 },
  };
}
