// The packaging config is valid and a real electron-builder run packs the built main, preload
// and renderer into app.asar. Electron's binary cannot be downloaded everywhere, so the run
// uses a stand-in Electron folder (electronDist); the packing logic is electron-builder's own.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listPackage } from '@electron/asar';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const config = parse(readFileSync(join(repo, 'electron-builder.yml'), 'utf8'));

describe('electron-builder.yml', () => {
  it('names the app and every platform target', () => {
    expect(config.appId).toBe('dev.homemade-grad.studio');
    expect(config.productName).toBe('homemade-grad');
    expect(config.asar).toBe(true);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
    expect(config.files).toContain('out/**/*');
  });

  it('flips Electron fuses in the packaged binary: no Node mode, app code only from app.asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the built main, preload and renderer into app.asar (--linux dir)', () => {
    execFileSync('npm', ['run', 'build', '-w', '@hgrad/studio'], { cwd: repo, stdio: 'pipe' });
    const work = mkdtempSync(join(tmpdir(), 'hgrad-pack-'));
    const electronDist = join(work, 'electron-dist');
    execFileSync('mkdir', ['-p', electronDist]);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    const output = join(work, 'release');
    // The stand-in binary has no fuse wire to flip (a real Electron binary does): the same config
    // without the fuses; the fuses themselves are checked below.
    const { electronFuses: _fuses, ...rest } = config;
    const standInConfig = join(work, 'electron-builder.json');
    writeFileSync(standInConfig, JSON.stringify(rest));
    execFileSync(
      'npx',
      [
        'electron-builder',
        '--linux',
        'dir',
        '--config',
        standInConfig,
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${output}`,
      ],
      { cwd: repo, stdio: 'pipe', env: { ...process.env, ELECTRON_BUILDER_CACHE: join(work, 'cache') } },
    );
    const asar = join(output, 'linux-unpacked/resources/app.asar');
    expect(existsSync(asar)).toBe(true);
    const files = listPackage(asar, { isPack: false });
    expect(files).toEqual(
      expect.arrayContaining([
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/package.json',
      ]),
    );
    expect(files.some((f) => f.startsWith('/out/renderer/assets/engine.worker-'))).toBe(true);
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
    expect(existsSync(join(output, 'linux-unpacked/homemade-grad'))).toBe(true);
  }, 120_000);
});
