// UI state that is not the document: toasts, theme, panel sizes, open dialogs, the node whose
// problems are being shown. Theme and panel sizes persist across sessions.
import { create } from 'zustand';

export type Theme = 'light' | 'dark';
export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  nodeId?: string;
}
export type Dialog = 'templates' | 'palette' | 'quickAdd' | null;

interface UiState {
  theme: Theme;
  /** Widths of the left (palette) and right (inspector) panels and the bottom panel's height. */
  panels: { left: number; right: number; bottom: number };
  toasts: Toast[];
  dialog: Dialog;
  quickAddAt: { x: number; y: number } | null;
  bottomTab: 'training' | 'problems' | 'debugger' | 'summary' | 'runs' | 'evaluation' | 'tryit';
  /** The recorded runs drawn over the live charts, by id, in the order chosen. */
  overlayRuns: string[];
  /** Whether the canvas shows its minimap (persisted). */
  minimap: boolean;
  /** Bumped to ask the canvas to fit the graph in view. */
  fitRequest: number;
  commands: {
    setTheme(theme: Theme): void;
    resizePanel(panel: 'left' | 'right' | 'bottom', size: number): void;
    dismiss(id: number): void;
    /** Another document was opened: the old one's messages and run overlays no longer apply. */
    clearToasts(): void;
    open(dialog: Dialog, at?: { x: number; y: number }): void;
    showTab(tab: UiState['bottomTab']): void;
    /** Draws a recorded run over the charts, or stops drawing it. */
    toggleOverlay(runId: string): void;
    toggleMinimap(): void;
    fitView(): void;
  };
}

const STORAGE_KEY = 'hgrad.ui.v1';
const saved = ((): Partial<Pick<UiState, 'theme' | 'panels' | 'minimap'>> => {
  try {
    return JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '{}') as Partial<UiState>;
  } catch {
    return {};
  }
})();
const prefersDark = globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

let nextToast = 1;

export const useUi = create<UiState>()((set, get) => {
  const persist = () => {
    const { theme, panels, minimap } = get();
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify({ theme, panels, minimap }));
  };
  return {
    theme: saved.theme ?? (prefersDark ? 'dark' : 'light'),
    panels: { left: 210, right: 300, bottom: 330, ...saved.panels },
    toasts: [],
    dialog: null,
    quickAddAt: null,
    bottomTab: 'training',
    overlayRuns: [],
    minimap: saved.minimap ?? true,
    fitRequest: 0,
    commands: {
      setTheme(theme) {
        set({ theme });
        persist();
      },
      resizePanel(panel, size) {
        const limits = { left: [160, 480], right: [220, 560], bottom: [160, 600] }[panel];
        set({
          panels: { ...get().panels, [panel]: Math.round(Math.min(limits[1]!, Math.max(limits[0]!, size))) },
        });
        persist();
      },
      dismiss(id) {
        set({ toasts: get().toasts.filter((t) => t.id !== id) });
      },
      clearToasts() {
        set({ toasts: [], overlayRuns: [] });
      },
      open(dialog, at) {
        set({ dialog, quickAddAt: at ?? null });
      },
      showTab(bottomTab) {
        set({ bottomTab });
      },
      toggleMinimap() {
        set({ minimap: !get().minimap });
        persist();
      },
      fitView() {
        set({ fitRequest: get().fitRequest + 1 });
      },
      toggleOverlay(runId) {
        const list = get().overlayRuns;
        set({ overlayRuns: list.includes(runId) ? list.filter((id) => id !== runId) : [...list, runId] });
      },
    },
  };
});

/** How long a message stays: errors longer (they may need reading), both go by themselves. */
const TOAST_MS = { info: 5000, error: 12000 } as const;

/** Shows a message that dismisses itself (sooner by its ✕); the newest four are kept. */
export function toast(kind: Toast['kind'], message: string, nodeId?: string): void {
  const id = nextToast++;
  useUi.setState((s) => ({
    toasts: [...s.toasts.slice(-3), { id, kind, message, ...(nodeId ? { nodeId } : {}) }],
  }));
  setTimeout(() => useUi.getState().commands.dismiss(id), TOAST_MS[kind]);
}
