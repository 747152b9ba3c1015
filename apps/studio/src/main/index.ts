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
  protocol,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  parseIpcArgs,
  type AppInfo,
  type IpcArgs,
  type IpcChannel,
  type IpcResult,
  type OpenedFile,
} from '../shared/ipc.ts';
import { senderRefusal } from './ipc-guard.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolResponse, rendererUrl } from './app-protocol.ts';
import { PathGrants } from './path-grants.ts';
import {
  CloseAfterSave,
  closeDecision,
  documentsFromArgv,
  readOpenable,
  RecentFiles,
  SAVE_FILTERS,
  writeFileAtomic,
} from './files.ts';
import { menuTemplate, type MenuItemSpec } from './menu.ts';
import {
  isAllowedExternalUrl,
  isAllowedNavigation,
  permissionGranted,
  secureWebPreferences,
} from './window-options.ts';

/** Development only: a packaged app never loads its page from elsewhere, nor offers DevTools. */
const development = !app.isPackaged;
let win: BrowserWindow | null = null;
let dirty = false;
const closeAfterSave = new CloseAfterSave();
let pendingFiles: string[] = documentsFromArgv(process.argv, process.cwd());
let recent: RecentFiles;
/** The paths main handed out (dialogs, recent list, OS, argv): the only ones it reads or writes. */
const grants = new PathGrants();
/** The commands the renderer says cannot run now, with the reason (greyed in the menu). */
let blocked: Record<string, string> = {};

async function readDocument(path: string): Promise<OpenedFile | null> {
  try {
    grants.opened(path);
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
  const template = menuTemplate(process.platform, recent.entries(), { blocked, devTools: development });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template.map(toElectron)));
}

const rendererRoot = join(import.meta.dirname, '../renderer');
/** The app's own page: what every IPC caller must be and the one page a window may show. */
const appUrl = rendererUrl(app.isPackaged, process.env);

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
  handle('file:openRecent', (path) => {
    const refusal = grants.readRefusal(path, recent.entries());
    if (refusal) throw new Error(`Open recent: ${refusal}`);
    return readDocument(path);
  });
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
    if (path) {
      const refusal = grants.writeRefusal(path);
      if (refusal) throw new Error(`Save: ${refusal}`);
    } else {
      const chosen = await dialog.showSaveDialog(win!, {
        defaultPath: request.suggestedName,
        filters: filtersFor(request.kind),
      });
      if (chosen.canceled || !chosen.filePath) {
        closeAfterSave.abandoned();
        return null;
      }
      path = chosen.filePath;
      grants.saved(path);
    }
    try {
      await writeFileAtomic(path, request.bytes);
    } catch (e) {
      closeAfterSave.abandoned();
      throw e;
    }
    if (request.kind === 'document') {
      await recent.add(path);
      rebuildMenu();
    }
    return path;
  });
  handle('app:setDirty', (value) => {
    dirty = value;
    win?.setDocumentEdited(value);
    if (closeAfterSave.shouldClose(value)) win?.close();
  });
  handle('menu:setBlocked', (commands) => {
    blocked = commands;
    rebuildMenu();
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'homemade-grad',
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs'), {
      devTools: development,
    }),
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, appUrl)) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
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
      closeAfterSave.requested();
      window.webContents.send('menu:command', 'file.save');
    }
  });
  void window.loadURL(appUrl);
  return window;
}

/** Everything the first instance does; a second instance hands its files over and quits. */
function start(): void {
  // Chromium on Linux offers WebGPU only behind this switch; elsewhere it is on already. Without an
  // adapter the engine falls back to the CPU and says so.
  if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

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
    // The page and its workers come from app://, with the web build's headers (CSP, COOP/COEP).
    protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererRoot, request));
    // The studio uses no permission (camera, microphone, location, notifications, …).
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
      callback(permissionGranted(permission)),
    );
    session.defaultSession.setPermissionCheckHandler((_contents, permission) =>
      permissionGranted(permission),
    );
    recent = new RecentFiles(join(app.getPath('userData'), 'recent-files.json'));
    await recent.load();
    if (recent.problem) console.error(recent.problem);
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
}

// A second instance registers nothing: it hands its files to the first (second-instance) and quits.
if (app.requestSingleInstanceLock()) start();
else app.quit();
