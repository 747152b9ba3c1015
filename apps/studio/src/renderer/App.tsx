// The studio window: menu bar, palette, canvas, inspector, and the bottom panel (training,
// problems, step-through, summary), with toasts and dialogs on top. Keyboard shortcuts come
// from the command table.
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { GraphCanvas } from './components/canvas/GraphCanvas.tsx';
import { CommandPalette } from './components/CommandPalette.tsx';
import { DebuggerBar, DebuggerPanel } from './components/DebuggerPanel.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { Inspector } from './components/Inspector.tsx';
import { MenuBar } from './components/MenuBar.tsx';
import { ModelSummary } from './components/ModelSummary.tsx';
import { startMenuSync } from './state/menu-sync.ts';
import { RunsPanel } from './components/RunsPanel.tsx';
import { EvaluationPanel } from './components/EvaluationPanel.tsx';
import { ImportDataDialog } from './components/ImportDataDialog.tsx';
import { ImportImagesDialog } from './components/ImportImagesDialog.tsx';
import { TryItPanel } from './components/TryItPanel.tsx';
import { Palette } from './components/Palette.tsx';
import { ProblemsList } from './components/ProblemsList.tsx';
import { Splitter } from './components/Splitter.tsx';
import { TemplatesDialog } from './components/TemplatesDialog.tsx';
import { Toasts } from './components/Toasts.tsx';
import { TrainingControls, TrainingPanel } from './components/TrainingPanel.tsx';
import { startAutosave } from './state/autosave.ts';
import { startTrainedAutosave } from './state/trained-autosave.ts';
import { commandForEvent, openDocument, openOnnx, runCommand } from './state/commands.ts';
import { useDocument } from './state/document-store.ts';
import { useRun } from './state/run-store.ts';
import { startAutoSync } from './state/engine-controller.ts';
import { useUi } from './state/ui-store.ts';

const TABS = [
  ['training', 'Training'],
  ['problems', 'Problems'],
  ['debugger', 'Step-through'],
  ['summary', 'Summary'],
  ['runs', 'Runs'],
  ['evaluation', 'Evaluation'],
  ['tryit', 'Try it'],
] as const;

function StatusBar() {
  const status = useRun((s) => s.status);
  const run = useRun((s) => s.run);
  const problems = useDocument((s) => s.analysis.problems.length);
  const text = {
    starting: 'Engine: starting…',
    loading: 'Engine: loading the graph…',
    ready:
      status.state === 'ready'
        ? `Engine ready in a Web Worker (${status.device}) · ${status.params.toLocaleString('en')} parameters · ${status.trainSamples} training samples · ${run} · ${status.compute}`
        : '',
    problems: `The graph has ${problems} problem${problems === 1 ? '' : 's'}; fix them to train`,
    failed: status.state === 'failed' ? `Engine failed: ${status.message}` : '',
    crashed: status.state === 'crashed' ? `Engine crashed: ${status.message}; restarting…` : '',
  }[status.state];
  return (
    <footer className="statusbar" data-testid="engine-status">
      <span>{text}</span>
      <span
        className={problems ? 'statusbar__problems danger' : 'statusbar__problems'}
        data-testid="problem-count"
      >
        {problems} problem{problems === 1 ? '' : 's'}
      </span>
    </footer>
  );
}

function Title() {
  const name = useDocument((s) => s.fileName?.split(/[\\/]/).pop() ?? s.doc.metadata.name);
  const dirty = useDocument((s) => s.dirty);
  useEffect(() => {
    document.title = `${dirty ? '• ' : ''}${name} — homemade-grad`;
    (globalThis as { hgrad?: { setDirty(d: boolean): Promise<void> } }).hgrad
      ?.setDirty(dirty)
      .catch(() => undefined);
  }, [name, dirty]);
  return (
    <span className="header__title" data-testid="document-title">
      {name}
      {dirty && (
        <span className="header__dirty" title="Unsaved changes" data-testid="dirty-marker">
          {' '}
          •
        </span>
      )}
    </span>
  );
}

export function App() {
  const theme = useUi((s) => s.theme);
  const panels = useUi((s) => s.panels);
  const tab = useUi((s) => s.bottomTab);
  const showTab = useUi((s) => s.commands.showTab);
  const setTheme = useUi((s) => s.commands.setTheme);
  const problemCount = useDocument((s) => s.analysis.problems.length);
  const runCount = useDocument((s) => s.runs.length);

  useEffect(() => {
    const stopAutosave = startAutosave();
    const stopSync = startAutoSync();
    const stopTrained = startTrainedAutosave();
    const stopMenu = startMenuSync();
    return () => {
      stopAutosave();
      stopSync();
      stopTrained();
      stopMenu();
    };
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable]')) return;
      const command = commandForEvent(e);
      if (!command) return;
      e.preventDefault();
      runCommand(command.id);
    };
    addEventListener('keydown', onKey);
    // While stepping through backprop, ← and → step back and forward (before the canvas, whose
    // arrow keys would otherwise move the selected node).
    const onArrow = (e: KeyboardEvent) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable]')) return;
      if (!useRun.getState().debug) return;
      e.preventDefault();
      e.stopPropagation();
      runCommand(e.key === 'ArrowRight' ? 'debug.forward' : 'debug.back');
    };
    addEventListener('keydown', onArrow, true);
    const api = (globalThis as { hgrad?: import('../shared/ipc.ts').StudioApi }).hgrad;
    const offMenu = api?.onMenuCommand(runCommand);
    const offOpen = api?.onFileOpened((f) =>
      f.onnx
        ? openOnnx(f.onnx, f.path)
        : openDocument(f.text, f.path, f.weights ? { weights: f.weights } : {}),
    );
    return () => {
      removeEventListener('keydown', onKey);
      removeEventListener('keydown', onArrow, true);
      offMenu?.();
      offOpen?.();
    };
  }, []);

  return (
    <ReactFlowProvider>
      <div
        className="app"
        style={{
          gridTemplateColumns: `${panels.left}px 4px 1fr 4px ${panels.right}px`,
          gridTemplateRows: `40px 1fr 4px ${panels.bottom}px 26px`,
        }}
      >
        <header className="header">
          <span className="header__logo">homemade-grad</span>
          <MenuBar />
          <Title />
          <TrainingControls />
          <button
            className="header__theme"
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
            aria-label="Toggle theme"
            title="Toggle light/dark theme"
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
        </header>
        <ErrorBoundary name="palette">
          <Palette />
        </ErrorBoundary>
        <Splitter panel="left" direction={1} />
        <main className="main">
          <ErrorBoundary name="canvas">
            <GraphCanvas />
          </ErrorBoundary>
          <div className="main__debug">
            <DebuggerBar />
          </div>
          <Toasts />
        </main>
        <Splitter panel="right" direction={-1} />
        <ErrorBoundary name="inspector">
          <Inspector />
        </ErrorBoundary>
        <Splitter panel="bottom" direction={-1} />
        <section className="bottom">
          <div className="tabs" role="tablist">
            {TABS.map(([id, title]) => (
              <button
                key={id}
                role="tab"
                aria-selected={tab === id}
                onClick={() => showTab(id)}
                data-testid={`tab-${id}`}
              >
                {title}
                {id === 'problems' && problemCount > 0 && <span className="tabs__count">{problemCount}</span>}
                {id === 'runs' && runCount > 0 && <span className="tabs__count">{runCount}</span>}
              </button>
            ))}
          </div>
          <div className="bottom__body">
            <ErrorBoundary name={tab}>
              {tab === 'training' && <TrainingPanel />}
              {tab === 'problems' && <ProblemsList />}
              {tab === 'debugger' && <DebuggerPanel />}
              {tab === 'summary' && <ModelSummary />}
              {tab === 'runs' && <RunsPanel />}
              {tab === 'evaluation' && <EvaluationPanel />}
              {tab === 'tryit' && <TryItPanel />}
            </ErrorBoundary>
          </div>
        </section>
        <StatusBar />
      </div>
      <CommandPalette />
      <TemplatesDialog />
      <ImportDataDialog />
      <ImportImagesDialog />
    </ReactFlowProvider>
  );
}
