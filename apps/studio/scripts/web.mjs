// npm run web: builds the renderer as a plain web app, serves it on 127.0.0.1 and opens it.
import { spawn, spawnSync } from 'node:child_process';
import { serve } from './serve.mjs';

const build = spawnSync('npx', ['vite', 'build', '-c', 'vite.web.config.ts', '--logLevel', 'warn'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const port = Number(process.env.PORT ?? 5174);
const server = await serve('dist-web', port);
const url = `http://127.0.0.1:${server.address().port}/`;
console.log(`homemade-grad is running at ${url}  (Ctrl+C to stop)`);
if (!process.env.HGRAD_NO_OPEN) {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => console.log('Open that address in your browser.'));
  child.unref();
}
