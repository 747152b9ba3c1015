import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { rendererConfig } from './renderer.vite.ts';

export default defineConfig(rendererConfig(resolve(import.meta.dirname, 'dist-web')));
