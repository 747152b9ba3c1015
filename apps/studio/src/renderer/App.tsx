import { useEffect } from 'react';
import { GraphCanvas } from './components/GraphCanvas.tsx';
import { EngineClient } from './engine/engine-client.ts';
import { EXAMPLE_DOCUMENT_TEXT, useStudio } from './store.ts';

export function App() {
  const document = useStudio((s) => s.document);
  const problems = useStudio((s) => s.problems);
  const engine = useStudio((s) => s.engine);
  const commands = useStudio((s) => s.commands);

  useEffect(() => {
    commands.openDocumentText(EXAMPLE_DOCUMENT_TEXT);
    const client = EngineClient.start();
    client
      .hello()
      .then((info) => commands.setEngineStatus({ state: 'ready', backend: info.backend, check: info.check }))
      .catch((e: Error) => commands.setEngineStatus({ state: 'failed', message: e.message }));
  }, [commands]);

  return (
    <div className="app">
      <header className="app__header">
        <span className="app__logo">homemade-grad</span>
        <span className="app__title" data-testid="document-title">
          {document?.metadata.name ?? 'Untitled'}
        </span>
      </header>
      <main className="app__canvas" data-testid="canvas">
        {document ? (
          <GraphCanvas document={document} />
        ) : (
          <ul className="app__problems" role="alert">
            {problems.map((p, i) => (
              <li key={i}>
                {p.path}: {p.message}
              </li>
            ))}
          </ul>
        )}
      </main>
      <footer className="app__status" data-testid="engine-status">
        {engine.state === 'starting' && 'Engine: starting…'}
        {engine.state === 'ready' && `Engine ready in a Web Worker (${engine.backend})`}
        {engine.state === 'failed' && `Engine failed: ${engine.message}`}
      </footer>
    </div>
  );
}
