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
}

/** "Mod+Shift+Z" → Electron's "CmdOrCtrl+Shift+Z". */
export const toAccelerator = (shortcut: string): string => shortcut.replace('Mod', 'CmdOrCtrl');

export function menuTemplate(platform: string, recent: readonly string[]): MenuItemSpec[] {
  const groups: MenuGroup[] = ['File', 'Edit', 'View', 'Train', 'Debug'];
  const template: MenuItemSpec[] = groups.map((group) => ({
    label: group,
    type: 'submenu',
    submenu: COMMAND_LIST.filter((c) => c.group === group).map((c) => ({
      label: c.title,
      id: c.id,
      ...('shortcut' in c ? { accelerator: toAccelerator(c.shortcut) } : {}),
    })),
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
    { label: 'Toggle developer tools', role: 'toggleDevTools' },
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
