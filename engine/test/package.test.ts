// The engine as a real package: `npm pack` builds dist/ (prepack) and the tarball installs into
// an empty project, where plain Node (no tsx, no workspace) trains a model with it, TypeScript
// type-checks a consumer against its declarations, and a Vite page trains in Chromium.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const engineDir = resolve(import.meta.dirname, '..');
const repoDir = resolve(engineDir, '..');
// The workspace's .npmrc puts the source condition into NODE_OPTIONS; a consumer has none.
const env = { ...process.env, NODE_OPTIONS: '' };
let project = '';
// Development resolves the engine's sources; a dist/ left behind by this test could hide a tool
// that lost the source condition, so it is removed again unless it was there before.
const distDir = join(engineDir, 'dist');
let distBefore = false;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const TRAIN = `
import { nn, optim, F, randn, manualSeed, tensor } from '@hgrad/engine';
manualSeed(0);
const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 1));
const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
const x = randn([256, 2]);
const y = x.index(':', 0).mul(x.index(':', 1)).unsqueeze(1);
const losses = [];
for (let step = 0; step < 200; step++) {
  opt.zeroGrad();
  const loss = F.mseLoss(model.forward(x), y);
  loss.backward();
  opt.step();
  losses.push(loss.item());
}
const probe = model.forward(tensor([[1, 1], [1, -1]], { dtype: 'float32' })).tolist();
`;

beforeAll(() => {
  distBefore = existsSync(distDir);
  project = mkdtempSync(join(tmpdir(), 'hgrad-pack-'));
  // prepack's build prints first; npm's JSON report is the array after it.
  const report = run('npm', ['pack', '--json', '--pack-destination', project], engineDir);
  const packed = JSON.parse(report.slice(report.search(/^\[/m))) as { filename: string }[];
  const tarball = join(project, packed[0]!.filename);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project);
}, 240_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
  if (!distBefore) rmSync(distDir, { recursive: true, force: true });
});

describe('@hgrad/engine packed', () => {
  it('ships dist (JavaScript, declarations, source maps) and no tests', () => {
    const pkgDir = join(project, 'node_modules/@hgrad/engine');
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    expect(pkg.exports['.']).toMatchObject({ types: './dist/index.d.ts', default: './dist/index.js' });
    const dist = readdirSync(join(pkgDir, 'dist'));
    expect(dist).toEqual(
      expect.arrayContaining(['index.js', 'index.d.ts', 'index.js.map', 'index.d.ts.map']),
    );
    expect(readdirSync(join(pkgDir, 'dist/backend/wasm'))).toContain('sgemm.wasm.js');
    expect(readdirSync(pkgDir)).not.toContain('test');
  });

  it('trains a model from plain Node', () => {
    writeFileSync(join(project, 'train.mjs'), `${TRAIN}\nconsole.log(JSON.stringify({ losses, probe }));\n`);
    const out = JSON.parse(run(process.execPath, ['train.mjs'], project)) as {
      losses: number[];
      probe: number[][];
    };
    expect(out.losses).toHaveLength(200);
    expect(out.losses[0]).toBeGreaterThan(0.5);
    expect(out.losses.at(-1)).toBeLessThan(0.01);
    // x0·x1 at (1, 1) and (1, −1), learnt from samples mostly inside [−2, 2]².
    expect(out.probe[0]![0]).toBeGreaterThan(0.7);
    expect(out.probe[1]![0]).toBeLessThan(-0.7);
  });

  it('type-checks a TypeScript consumer against the declarations', () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { nn, optim, zeros, type Tensor } from '@hgrad/engine';
const layer = new nn.Linear(3, 2, { bias: false });
const t: Tensor = layer.forward(zeros([4, 3]));
new optim.SGD(layer.parameters(), { lr: 0.1, momentum: 0.9 });
export const shape: number[] = t.shape;
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          lib: ['ES2023', 'DOM'],
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = resolve(repoDir, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', project], { env, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('trains a model in a Vite page in Chromium', async () => {
    const page = join(project, 'page');
    mkdirSync(page, { recursive: true });
    writeFileSync(
      join(page, 'index.html'),
      '<!doctype html><pre id="out">…</pre><script type="module" src="./main.js"></script>',
    );
    writeFileSync(
      join(page, 'main.js'),
      `${TRAIN}\ndocument.getElementById('out').textContent = JSON.stringify({ losses, probe });\n`,
    );
    const { build } = await import('vite');
    await build({
      root: page,
      configFile: false,
      logLevel: 'silent',
      build: { outDir: join(page, 'dist'), target: 'es2022' },
    });
    const served = join(page, 'dist');
    const server: Server = createServer((req, res) => {
      const path = join(served, req.url === '/' ? 'index.html' : req.url!.split('?')[0]!);
      const type =
        { '.html': 'text/html', '.js': 'text/javascript' }[extname(path)] ?? 'application/octet-stream';
      let body: Buffer;
      try {
        body = readFileSync(path);
      } catch {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': type }).end(body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    try {
      const tab = await browser.newPage();
      const port = (server.address() as { port: number }).port;
      await tab.goto(`http://127.0.0.1:${port}/`);
      await tab.waitForFunction(() => document.getElementById('out')?.textContent?.startsWith('{'), null, {
        timeout: 60_000,
      });
      const out = JSON.parse((await tab.textContent('#out'))!) as { losses: number[]; probe: number[][] };
      expect(out.losses.at(-1)).toBeLessThan(0.01);
      expect(out.probe[0]![0]).toBeGreaterThan(0.7);
    } finally {
      await browser.close();
      server.close();
    }
  }, 120_000);
});
