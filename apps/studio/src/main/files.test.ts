// Main-process logic without Electron: atomic writes, the recent list, command-line files, the
// close prompt's decisions, native menus from the shared command list, IPC argument checks.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpcArgs, type IpcChannel } from '../shared/ipc.ts';
import { senderRefusal } from './ipc-guard.ts';
import { COMMAND_LIST } from '../shared/command-list.ts';
import { closeDecision, documentsFromArgv, readOpenable, RecentFiles, writeFileAtomic } from './files.ts';
import { saveSafetensors, zeros } from '@hgrad/engine';
import { menuTemplate, toAccelerator } from './menu.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'hgrad-main-'));

describe('main-process files', () => {
  it('writes atomically: the target is replaced whole and no temporary file is left', async () => {
    const d = dir();
    const path = join(d, 'graph.hgrad.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, new TextEncoder().encode('new contents'));
    expect(readFileSync(path, 'utf8')).toBe('new contents');
    expect(readdirSync(d)).toEqual(['graph.hgrad.json']);
    await expect(
      writeFileAtomic(join(d, 'graph.hgrad.json', 'inside-a-file'), new Uint8Array(1)),
    ).rejects.toThrow();
    expect(readdirSync(d)).toEqual(['graph.hgrad.json']);
  });

  it('opens a document with the trained state saved next to it, only when it belongs to that text', async () => {
    const d = dir();
    const doc = '{"format": "hgrad"}';
    writeFileSync(join(d, 'net.hgrad.json'), doc);
    const weights = saveSafetensors({ w: zeros([2]) }, { document: doc });
    writeFileSync(join(d, 'net.safetensors'), weights);
    const opened = await readOpenable(join(d, 'net.hgrad.json'));
    expect(opened.text).toBe(doc);
    expect(Array.from(opened.weights!)).toEqual(Array.from(weights));
    // A document edited since (or a stranger's weights): the document opens alone.
    writeFileSync(join(d, 'net.hgrad.json'), '{"format": "hgrad", "edited": true}');
    expect((await readOpenable(join(d, 'net.hgrad.json'))).weights).toBeUndefined();
    // The weights file itself opens with the graph it carries.
    expect(await readOpenable(join(d, 'net.safetensors'))).toMatchObject({ text: doc });
    writeFileSync(join(d, 'bare.safetensors'), saveSafetensors({ w: zeros([2]) }));
    await expect(readOpenable(join(d, 'bare.safetensors'))).rejects.toThrow('it carries no graph document');
  });

  it('keeps ten recent files, newest first, without duplicates, across restarts', async () => {
    const store = join(dir(), 'recent.json');
    const recent = new RecentFiles(store);
    expect(await recent.load()).toEqual([]);
    for (let i = 0; i < 12; i++) await recent.add(`/g/${i}.hgrad.json`);
    await recent.add('/g/5.hgrad.json');
    const again = new RecentFiles(store);
    const list = await again.load();
    expect(list.length).toBe(10);
    expect(list.slice(0, 3)).toEqual(['/g/5.hgrad.json', '/g/11.hgrad.json', '/g/10.hgrad.json']);
    expect(await again.remove('/g/11.hgrad.json')).not.toContain('/g/11.hgrad.json');
    writeFileSync(store, 'not json');
    expect(await new RecentFiles(store).load()).toEqual([]);
  });

  it('finds graph files on a command line and decides what closing does', () => {
    expect(
      documentsFromArgv(
        ['/opt/app', '--no-sandbox', 'a.hgrad.json', 'notes.txt', '/x/b.HGRAD.json'],
        '/home/u',
      ),
    ).toEqual(['/home/u/a.hgrad.json', '/x/b.HGRAD.json']);
    expect(closeDecision(false)).toBe('close');
    expect(closeDecision(true)).toBe('ask');
    expect([0, 1, 2].map((c) => closeDecision(true, c as 0 | 1 | 2))).toEqual([
      'save-then-close',
      'close',
      'stay',
    ]);
  });
});

describe('native menus', () => {
  it('offer every command with its shortcut as an accelerator, and the recent files', () => {
    const template = menuTemplate('linux', ['/g/a.hgrad.json']);
    const items = template.flatMap((m) => m.submenu ?? []);
    for (const c of COMMAND_LIST) {
      const item = items.find((i) => i.id === c.id);
      expect(item?.label, c.id).toBe(c.title);
      if ('shortcut' in c) expect(item?.accelerator).toBe(toAccelerator(c.shortcut));
    }
    expect(toAccelerator('Mod+Shift+Z')).toBe('CmdOrCtrl+Shift+Z');
    const recent = items.find((i) => i.label === 'Open recent')!;
    expect(recent.submenu).toEqual([{ label: '/g/a.hgrad.json', id: 'recent:/g/a.hgrad.json' }]);
    expect(menuTemplate('darwin', [])[0]!.label).toBe('homemade-grad');
  });

  it('grey out the commands that cannot run now, with the reason as the tooltip', () => {
    const items = menuTemplate('linux', [], {
      blocked: { 'file.exportOnnx': 'The graph has a problem: fc2 needs an input' },
    }).flatMap((m) => m.submenu ?? []);
    const exportOnnx = items.find((i) => i.id === 'file.exportOnnx')!;
    expect(exportOnnx).toMatchObject({
      enabled: false,
      toolTip: 'The graph has a problem: fc2 needs an input',
    });
    expect(items.find((i) => i.id === 'file.save')!.enabled).toBeUndefined();
    // A key named like an Object property is no command.
    const odd = menuTemplate('linux', [], {
      blocked: JSON.parse('{"__proto__": "x"}') as Record<string, string>,
    });
    expect(odd.flatMap((m) => m.submenu ?? []).every((i) => i.enabled === undefined)).toBe(true);
  });
});

describe('IPC argument checks in main', () => {
  const error = (channel: string, args: unknown[]) => {
    const r = parseIpcArgs(channel as IpcChannel, args);
    return r.ok ? null : r.error;
  };

  it('refuse malformed arguments with the reason', () => {
    expect(error('file:open', [])).toBeNull();
    expect(error('file:open', ['x'])).toBe('file:open takes 0 argument(s), got 1');
    expect(error('app:setDirty', ['yes'])).toBe('app:setDirty: must be a boolean');
    const ok = { suggestedName: 'm.safetensors', kind: 'safetensors', bytes: new Uint8Array(4) };
    expect(error('file:save', [ok])).toBeNull();
    expect(error('file:save', [{ ...ok, suggestedName: '../../etc/passwd' }])).toBe(
      'file:save: suggestedName must be a file name without folders',
    );
    expect(error('file:save', [{ ...ok, bytes: 'text' }])).toBe('file:save: bytes must be a Uint8Array');
    expect(error('file:save', [{ ...ok, kind: 'exe' }])).toBe(
      'file:save: kind must be document, safetensors, json, onnx, python',
    );
    expect(error('file:save', [{ ...ok, extra: 1 }])).toMatch(/^file:save: Unrecognized key: "extra"/);
    expect(error('file:save', [{ ...ok, path: '/home/u/m.safetensors' }])).toBeNull();
    expect(error('file:save', [{ ...ok, path: 'C:\\models\\m.safetensors' }])).toBeNull();
    expect(error('file:save', [{ ...ok, path: 'relative.hgrad.json' }])).toBe(
      'file:save: path must be an absolute path',
    );
    expect(error('shell:exec', ['rm -rf /'])).toBe("unknown channel 'shell:exec'");
    expect(error('menu:setBlocked', [{ 'train.stop': 'Nothing is training' }])).toBeNull();
    expect(error('menu:setBlocked', [{ 'rm -rf': 'x' }])).toMatch(/^menu:setBlocked: rm -rf Invalid key/);
    expect(error('menu:setBlocked', [{ 'train.stop': 3 }])).toMatch(/^menu:setBlocked: /);
  });

  it('answer only the app’s own top-level page', () => {
    const app = 'file:///opt/hgrad/resources/app.asar/out/renderer/index.html';
    expect(senderRefusal({ url: app, parent: null }, app)).toBeNull();
    expect(senderRefusal({ url: `${app}#/graph`, parent: null }, app)).toBeNull();
    expect(senderRefusal({ url: app, parent: {} }, app)).toBe(
      'only the app’s top-level page may call the main process',
    );
    expect(senderRefusal({ url: 'file:///tmp/evil.html', parent: null }, app)).toBe(
      "the caller's address 'file:///tmp/evil.html' is not the app's",
    );
    expect(senderRefusal({ url: 'https://example.com/', parent: null }, 'http://localhost:5173/')).toBe(
      "the caller's address 'https://example.com/' is not the app's",
    );
    expect(
      senderRefusal({ url: 'http://localhost:5173/x', parent: null }, 'http://localhost:5173/'),
    ).toBeNull();
    expect(senderRefusal(null, app)).toBe('the calling frame no longer exists');
  });
});
