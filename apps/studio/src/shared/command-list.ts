// The studio's commands as data (id, title, menu, shortcut), shared by the renderer (which
// attaches what each one does) and Electron's main process (which builds native menus with
// the same accelerators). "Mod" is Ctrl, or Cmd on macOS.
export type MenuGroup = 'File' | 'Edit' | 'View' | 'Train' | 'Debug';

export interface CommandInfo {
  id: string;
  title: string;
  group: MenuGroup;
  shortcut?: string;
}

export const COMMAND_LIST = [
  { id: 'file.new', title: 'New graph', group: 'File', shortcut: 'Mod+N' },
  { id: 'file.open', title: 'Open…', group: 'File', shortcut: 'Mod+O' },
  { id: 'file.save', title: 'Save', group: 'File', shortcut: 'Mod+S' },
  { id: 'file.saveAs', title: 'Save as…', group: 'File', shortcut: 'Mod+Shift+S' },
  { id: 'file.templates', title: 'Templates…', group: 'File' },
  { id: 'file.importData', title: 'Import data (CSV/TSV)…', group: 'File' },
  { id: 'file.importImages', title: 'Import image folder…', group: 'File' },
  { id: 'file.loadWeights', title: 'Load weights (safetensors)…', group: 'File' },
  { id: 'file.exportSafetensors', title: 'Export weights (safetensors)', group: 'File', shortcut: 'Mod+E' },
  { id: 'file.exportJson', title: 'Export weights (JSON)', group: 'File' },
  { id: 'file.exportOnnx', title: 'Export model (ONNX)', group: 'File' },
  { id: 'file.exportPytorch', title: 'Export model (PyTorch code)', group: 'File' },
  { id: 'file.exportDocument', title: 'Export graph (IR JSON)', group: 'File' },
  { id: 'edit.undo', title: 'Undo', group: 'Edit', shortcut: 'Mod+Z' },
  { id: 'edit.redo', title: 'Redo', group: 'Edit', shortcut: 'Mod+Shift+Z' },
  { id: 'edit.copy', title: 'Copy', group: 'Edit', shortcut: 'Mod+C' },
  { id: 'edit.paste', title: 'Paste', group: 'Edit', shortcut: 'Mod+V' },
  { id: 'edit.duplicate', title: 'Duplicate', group: 'Edit', shortcut: 'Mod+D' },
  { id: 'edit.delete', title: 'Delete selection', group: 'Edit', shortcut: 'Delete' },
  { id: 'edit.selectAll', title: 'Select all', group: 'Edit', shortcut: 'Mod+A' },
  { id: 'edit.group', title: 'Group selection into a subgraph', group: 'Edit', shortcut: 'Mod+G' },
  { id: 'edit.ungroup', title: 'Ungroup (inline the subgraph)', group: 'Edit', shortcut: 'Mod+Shift+G' },
  { id: 'edit.quickAdd', title: 'Add a node…', group: 'Edit', shortcut: 'Mod+Shift+A' },
  { id: 'view.layout', title: 'Auto layout', group: 'View', shortcut: 'Mod+L' },
  { id: 'view.layoutLR', title: 'Arrange left to right', group: 'View' },
  { id: 'view.layoutTB', title: 'Arrange top to bottom', group: 'View' },
  { id: 'view.palette', title: 'Command palette…', group: 'View', shortcut: 'Mod+K' },
  { id: 'view.theme', title: 'Toggle light/dark theme', group: 'View' },
  { id: 'view.problems', title: 'Show problems', group: 'View' },
  { id: 'view.summary', title: 'Show model summary', group: 'View' },
  { id: 'view.evaluation', title: 'Show evaluation (confusion matrix, test split)', group: 'View' },
  { id: 'view.tryit', title: 'Try the model (draw, type a row, generate text)', group: 'View' },
  { id: 'view.fit', title: 'Fit graph in view', group: 'View', shortcut: 'Mod+0' },
  { id: 'view.minimap', title: 'Show or hide the minimap', group: 'View' },
  { id: 'train.start', title: 'Train / resume', group: 'Train', shortcut: 'Mod+Enter' },
  { id: 'train.pause', title: 'Pause', group: 'Train', shortcut: 'Mod+.' },
  { id: 'train.stop', title: 'Stop', group: 'Train' },
  { id: 'train.step', title: 'Train one step', group: 'Train', shortcut: "Mod+'" },
  { id: 'train.reset', title: 'Reset weights', group: 'Train' },
  { id: 'train.restart', title: 'Restart the engine', group: 'Train' },
  { id: 'debug.start', title: 'Step through backprop', group: 'Debug', shortcut: 'F5' },
  { id: 'debug.forward', title: 'Step forward', group: 'Debug', shortcut: 'F10' },
  { id: 'debug.back', title: 'Step back', group: 'Debug', shortcut: 'Shift+F10' },
  { id: 'debug.end', title: 'Run to end', group: 'Debug', shortcut: 'F8' },
  { id: 'debug.stop', title: 'Stop stepping', group: 'Debug', shortcut: 'Shift+F5' },
] as const satisfies readonly CommandInfo[];

export type CommandId = (typeof COMMAND_LIST)[number]['id'];
