// The studio's state and the named commands that change it. Components select narrowly and
// call commands; nothing else calls set().
import { create } from 'zustand';
import { parseDocument, type GraphDocument, type Problem } from '@hgrad/ir';
import exampleText from '../../../../examples/mlp-blobs.hgrad.json?raw';

export type EngineStatus =
  | { state: 'starting' }
  | { state: 'ready'; backend: string; check: number }
  | { state: 'failed'; message: string };

interface StudioState {
  document: GraphDocument | null;
  problems: Problem[];
  engine: EngineStatus;
  commands: {
    openDocumentText(text: string): void;
    setEngineStatus(status: EngineStatus): void;
  };
}

export const useStudio = create<StudioState>()((set) => ({
  document: null,
  problems: [],
  engine: { state: 'starting' },
  commands: {
    openDocumentText(text) {
      const result = parseDocument(text);
      if (result.ok) set({ document: result.document, problems: [] });
      else set({ problems: result.problems });
    },
    setEngineStatus(status) {
      set({ engine: status });
    },
  },
}));

export const EXAMPLE_DOCUMENT_TEXT: string = exampleText;
