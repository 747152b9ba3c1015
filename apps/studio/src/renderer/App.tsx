import { useEffect } from 'react';
import { GraphCanvas } from './components/GraphCanvas.tsx';
import { TrainingPanel } from './components/TrainingPanel.tsx';
import { EXAMPLE_DOCUMENT_TEXT, useStudio } from './store.ts';

export function App() {
  const document = useStudio((s) => s.document);
  const problems = useStudio((s) => s.problems);
  const engine = useStudio((s) => s.engine);
  const commands = useStudio((s) => s.commands);

  useEffect(() => {
    void commands.openDocumentText(EXAMPLE_DOCUMENT_TEXT);
  }, [commands]);

  return (
    <div className="app">
      <header className="app__header">
        <span className="app__logo">homemade-grad</span>
        <span className="app__title" data-testid="document-title">
          {document?.metadata.name ?? 'Untitled'}
        </span>
      </header>
      <main className="app__main">
        <section className="app__canvas" data-testid="canvas">
          {document && <GraphCanvas document={document} />}
          {problems.length > 0 && (
            <ul className="app__problems" role="alert">
              {problems.map((p, i) => (
                <li key={i}>{p.message.includes(p.path) ? p.message : `${p.path}: ${p.message}`}</li>
              ))}
            </ul>
          )}
        </section>
        <TrainingPanel />
      </main>
      <footer className="app__status" data-testid="engine-status">
        {engine.state === 'starting' && 'Engine: starting…'}
        {engine.state === 'ready' &&
          `Engine ready in a Web Worker (cpu) · ${engine.params} parameters · ${engine.trainSamples} training samples`}
        {engine.state === 'failed' && `Engine failed: ${engine.message}`}
      </footer>
    </div>
  );
}
