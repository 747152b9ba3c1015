// The studio's state and the named commands that change it. Components select narrowly and
// call commands; nothing else calls set().
import { create } from 'zustand';
import { parseDocument, type GraphDocument, type Problem } from '@hgrad/ir';
import type { EpochReport, RunState, RuntimeClient } from '@hgrad/protocol';
import exampleText from '../../../../examples/mlp-blobs.hgrad.json?raw';
import { startEngine } from './engine/engine-client.ts';

export type EngineStatus =
  | { state: 'starting' }
  | { state: 'ready'; params: number; trainSamples: number }
  | { state: 'failed'; message: string };

interface StudioState {
  document: GraphDocument | null;
  problems: Problem[];
  engine: EngineStatus;
  run: RunState;
  step: number;
  losses: number[];
  epochs: EpochReport[];
  commands: {
    openDocumentText(text: string): Promise<void>;
    train(): Promise<void>;
    pause(): Promise<void>;
    stepOnce(): Promise<void>;
    resetWeights(): Promise<void>;
  };
}

let client: RuntimeClient | null = null;
function engine(): RuntimeClient {
  client ??= startEngine();
  return client;
}

export const useStudio = create<StudioState>()((set, get) => {
  const fail = (e: unknown) => set({ engine: { state: 'failed', message: (e as Error).message } });
  const track = (c: RuntimeClient) =>
    c.on((event) => {
      if (event.type === 'losses') set({ losses: [...c.lossHistory], step: c.lossHistory.length });
      else if (event.type === 'epoch') set({ epochs: [...get().epochs, event.report] });
      else if (event.type === 'state') set({ run: event.state, step: event.step });
      else if (event.type === 'fault')
        set({ engine: { state: 'failed', message: event.error.message }, run: 'paused' });
    });
  let tracking = false;
  const connected = () => {
    const c = engine();
    if (!tracking) {
      track(c);
      tracking = true;
    }
    return c;
  };
  return {
    document: null,
    problems: [],
    engine: { state: 'starting' },
    run: 'empty',
    step: 0,
    losses: [],
    epochs: [],
    commands: {
      async openDocumentText(text) {
        const result = parseDocument(text);
        if (!result.ok) return set({ problems: result.problems });
        set({ document: result.document, problems: [], losses: [], epochs: [], step: 0 });
        try {
          const loaded = await connected().request({ type: 'load', document: result.document });
          if (loaded.type === 'problems')
            set({
              problems: loaded.problems,
              engine: { state: 'failed', message: 'the graph has problems' },
            });
          else if (loaded.type === 'loaded')
            set({ engine: { state: 'ready', params: loaded.params, trainSamples: loaded.trainSamples } });
        } catch (e) {
          fail(e);
        }
      },
      async train() {
        await connected().request({ type: 'start' }).catch(fail);
      },
      async pause() {
        await connected().request({ type: 'pause' }).catch(fail);
      },
      async stepOnce() {
        await connected().request({ type: 'step', steps: 1 }).catch(fail);
      },
      async resetWeights() {
        await connected().request({ type: 'resetWeights' }).catch(fail);
        set({ losses: [], epochs: [], step: 0 });
        connected().lossHistory.length = 0;
      },
    },
  };
});

export const EXAMPLE_DOCUMENT_TEXT: string = exampleText;
