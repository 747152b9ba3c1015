// Native menus built from the shared command list: the same titles and shortcuts as the web
// build's menu bar and command palette. Clicking sends the command id to the renderer.
import { COMMAND_LIST, type MenuGroup } from '../shared/command-list.ts';

export interface MenuItemSpec {
  label: string;
  id?: string;
  accelerator?: string;
  role?: string;
  type?: 'separator' | 'submenu';
  submenu?: MenuItemSpec[];
  enabled?: boolean;
  /** Why the item cannot run now (shown as its tooltip where the platform has them). */
  toolTip?: string;
}

export interface MenuOptions {
  /** Commands that cannot run now, with the reason (the renderer reports them). */
  blocked?: Readonly<Record<string, string>>;
  /** Developer tools in the View menu: in development only, never in a packaged app. */
  devTools?: boolean;
}

/** "Mod+Shift+Z" → Electron's "CmdOrCtrl+Shift+Z". */
export const toAccelerator = (shortcut: string): string => shortcut.replace('Mod', 'CmdOrCtrl');

export function menuTemplate(
  platform: string,
  recent: readonly string[],
  { blocked = {}, devTools = false }: MenuOptions = {},
): MenuItemSpec[] {
  const groups: MenuGroup[] = ['File', 'Edit', 'View', 'Train', 'Debug'];
  const template: MenuItemSpec[] = groups.map((group) => ({
    label: group,
    type: 'submenu',
    submenu: COMMAND_LIST.filter((c) => c.group === group).map((c) => {
      const reason = Object.hasOwn(blocked, c.id) ? blocked[c.id] : undefined;
      return {
        label: c.title,
        id: c.id,
        ...('shortcut' in c ? { accelerator: toAccelerator(c.shortcut) } : {}),
        ...(reason !== undefined ? { enabled: false, toolTip: reason } : {}),
      };
    }),
  }));
  const file = template[0]!.submenu!;
  file.splice(2, 0, {
    label: 'Open recent',
    type: 'submenu',
    submenu: recent.length
      ? recent.map((path) => ({ label: path, id: `recent:${path}` }))
      : [{ label: '(none)', id: 'recent:none' }],
  });
  file.push(
    { label: '', type: 'separator' },
    { label: platform === 'darwin' ? 'Quit' : 'Exit', role: 'quit' },
  );
  template[2]!.submenu!.push(
    { label: '', type: 'separator' },
    ...(devTools ? [{ label: 'Toggle developer tools', role: 'toggleDevTools' }] : []),
    { label: 'Toggle full screen', role: 'togglefullscreen' },
  );
  if (platform === 'darwin')
    template.unshift({
      label: 'homemade-grad',
      type: 'submenu',
      submenu: [
        { label: 'About', role: 'about' },
        { label: 'Quit', role: 'quit' },
      ],
    });
  return template;
}
