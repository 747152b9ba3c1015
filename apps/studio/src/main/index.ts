// Electron main process: one secure window showing the renderer, native menus from the shared
// command list, file dialogs with atomic writes and a recent-files list, an unsaved-changes
// prompt on close, single instance, and .hgrad.json files opened from the command line or the
// OS. The logic lives in plain modules (files.ts, menu.ts, window-options.ts) tested without
// Electron; this file only wires them to Electron's API.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  parseIpcArgs,
  type AppInfo,
  type IpcArgs,
  type IpcChannel,
  type IpcResult,
  type OpenedFile,
} from '../shared/ipc.ts';
import { senderRefusal } from './ipc-guard.ts';
import {
  closeDecision,
  documentsFromArgv,
  readOpenable,
  RecentFiles,
  SAVE_FILTERS,
  writeFileAtomic,
} from './files.ts';
import { menuTemplate, type MenuItemSpec } from './menu.ts';
import { isAllowedNavigation, SECURITY_HEADERS, secureWebPreferences } from './window-options.ts';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : 'file://';
let win: BrowserWindow | null = null;
let dirty = false;
let closeAfterSave = false;
let pendingFiles: string[] = documentsFromArgv(process.argv, process.cwd());
let recent: RecentFiles;

async function readDocument(path: string): Promise<OpenedFile | null> {
  try {
    const file = await readOpenable(path);
    await recent.add(path);
    rebuildMenu();
    return file;
  } catch {
    await recent.remove(path);
    rebuildMenu();
    return null;
  }
}

async function openInWindow(path: string): Promise<void> {
  const file = await readDocument(path);
  if (file) win?.webContents.send('file:opened', file);
}

function toElectron(spec: MenuItemSpec): MenuItemConstructorOptions {
  const { id, submenu, ...rest } = spec;
  const item: MenuItemConstructorOptions = { ...rest } as MenuItemConstructorOptions;
  if (submenu) item.submenu = submenu.map(toElectron);
  if (id?.startsWith('recent:')) {
    const path = id.slice('recent:'.length);
    if (path !== 'none') item.click = () => void openInWindow(path);
  } else if (id) item.click = () => win?.webContents.send('menu:command', id);
  return item;
}

function rebuildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate(process.platform, recent.entries()).map(toElectron)),
  );
}

const rendererIndex = join(import.meta.dirname, '../renderer/index.html');
/** The app's own page: what every IPC caller must be. */
const appUrl = devServerUrl ?? pathToFileURL(rendererIndex).href;

/** Answers one channel of the contract: only from the app's top frame, with checked arguments. */
function handle<C extends IpcChannel>(
  channel: C,
  answer: (...args: IpcArgs<C>) => IpcResult<C> | Promise<IpcResult<C>>,
): void {
  ipcMain.handle(channel, (event, ...args) => {
    const refusal = senderRefusal(event.senderFrame, appUrl);
    if (refusal) throw new Error(`${channel}: ${refusal}`);
    const parsed = parseIpcArgs(channel, args);
    if (!parsed.ok) throw new Error(parsed.error);
    return answer(...parsed.args);
  });
}

const filtersFor = (kind: keyof typeof SAVE_FILTERS) =>
  SAVE_FILTERS[kind].map((f) => ({ name: f.name, extensions: [...f.extensions] }));

function registerIpc(): void {
  handle('app:getInfo', (): AppInfo => ({
    name: app.getName(),
    version: app.getVersion(),
    platform: process.platform,
    electron: process.versions.electron ?? null,
  }));
  handle('file:open', async () => {
    const picked = await dialog.showOpenDialog(win!, {
      properties: ['openFile'],
      filters: [
        {
          name: 'homemade-grad graph, trained weights or ONNX model',
          extensions: ['hgrad.json', 'json', 'safetensors', 'onnx'],
        },
      ],
    });
    return picked.canceled || !picked.filePaths[0] ? null : readDocument(picked.filePaths[0]);
  });
  handle('file:openRecent', (path) => readDocument(path));
  handle('file:openWeights', async () => {
    const picked = await dialog.showOpenDialog(win!, {
      properties: ['openFile'],
      filters: filtersFor('safetensors'),
    });
    const path = picked.filePaths[0];
    return picked.canceled || !path ? null : { path, bytes: new Uint8Array(await readFile(path)) };
  });
  handle('file:recent', () => recent.entries());
  handle('file:save', async (request) => {
    let path = request.path;
    if (!path) {
      const chosen = await dialog.showSaveDialog(win!, {
        defaultPath: request.suggestedName,
        filters: filtersFor(request.kind),
      });
      if (chosen.canceled || !chosen.filePath) return null;
      path = chosen.filePath;
    }
    await writeFileAtomic(path, request.bytes);
    if (request.kind === 'document') {
      await recent.add(path);
      rebuildMenu();
    }
    return path;
  });
  handle('app:setDirty', (value) => {
    dirty = value;
    win?.setDocumentEdited(value);
    if (closeAfterSave && !value) win?.close();
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'homemade-grad',
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs')),
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, appOrigin)) event.preventDefault();
  });
  window.webContents.on('did-finish-load', () => {
    for (const path of pendingFiles.splice(0)) void openInWindow(path);
  });
  window.on('close', (event) => {
    const decision = closeDecision(dirty);
    if (decision !== 'ask') return;
    event.preventDefault();
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Save', 'Discard', 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      message: 'Save the changes to this graph?',
      detail: 'Unsaved changes are lost if you discard them.',
    }) as 0 | 1 | 2;
    const next = closeDecision(true, choice);
    if (next === 'close') {
      dirty = false;
      window.close();
    } else if (next === 'save-then-close') {
      closeAfterSave = true;
      window.webContents.send('menu:command', 'file.save');
    }
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
  return window;
}

if (!app.requestSingleInstanceLock()) app.quit();
// Chromium on Linux offers WebGPU only behind this switch; elsewhere it is on already. Without an
// adapter the engine falls back to the CPU and says so.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');

app.on('second-instance', (_event, argv, cwd) => {
  for (const path of documentsFromArgv(argv, cwd)) void openInWindow(path);
  if (win?.isMinimized()) win.restore();
  win?.focus();
});
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (win) void openInWindow(path);
  else pendingFiles = [...pendingFiles, path];
});

void app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        ...Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([k, v]) => [k, [v]])),
      },
    });
  });
  recent = new RecentFiles(join(app.getPath('userData'), 'recent-files.json'));
  await recent.load();
  registerIpc();
  rebuildMenu();
  win = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
