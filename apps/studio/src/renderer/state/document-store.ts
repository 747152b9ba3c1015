// The document being edited, its undo history, selection and clipboard. Every edit goes through
// a named command, which is one undo step; the analysis (problems, shapes) follows each change.
import { create } from 'zustand';
import {
  analyze,
  parseDocument,
  serializeDocument,
  type Analysis,
  type GraphDocument,
  type Problem,
  type RunRecord,
  type ImagesSpec,
  type TableSpec,
  type TrainingConfig,
} from '@hgrad/ir';
import {
  addNode,
  connect,
  connectionRefusal,
  copyNodes,
  moveNodes,
  paste,
  removeItems,
  replaceParams,
  setParam,
  followSizes,
  type Clipboard,
  type PortEnd,
} from './graph-edit.ts';
import { autoLayout, groupNodes, ungroupNode } from './group-layout.ts';
import { EMPTY_TEMPLATE } from './templates.ts';

interface HistoryEntry {
  label: string;
  doc: GraphDocument;
}

export interface Selection {
  nodes: string[];
  edges: string[];
}

interface DocumentState {
  /** The graph and its settings: what the canvas, the analysis and the engine see. */
  doc: GraphDocument;
  /**
   * The training runs recorded with the document (saved in its `runs`). Kept beside `doc` so
   * that recording an epoch does not redraw the canvas or re-analyse the graph.
   */
  runs: RunRecord[];
  analysis: Analysis;
  /** The file name the document was opened from or saved to (null: never saved). */
  fileName: string | null;
  dirty: boolean;
  /** Bumped when a document is opened (the canvas fits it to the view). */
  opened: number;
  past: HistoryEntry[];
  future: HistoryEntry[];
  selection: Selection;
  clipboard: Clipboard | null;
  commands: DocumentCommands;
}

export interface DocumentCommands {
  addNode(kind: string, position: { x: number; y: number }): string;
  /** Connects two ports, or returns why not. */
  connect(source: PortEnd, target: PortEnd): string | null;
  deleteSelection(): void;
  moveNodes(positions: Map<string, { x: number; y: number }>): void;
  setParam(nodeId: string, param: string, value: unknown): void;
  setTraining(patch: Partial<TrainingConfig>, label?: string): void;
  /** The graph trains on the user's table: the Dataset node takes its spec (one undoable step). */
  useTable(table: TableSpec): void;
  /** The graph trains on the user's image folder (one undoable step). */
  useImages(images: ImagesSpec): void;
  rename(name: string): void;
  select(selection: Selection): void;
  selectAll(): void;
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  duplicate(): void;
  groupSelection(): void;
  /** Replaces the selected Group node by its subgraph's nodes. */
  ungroupSelection(): void;
  /** Arranges the graph by data flow, in the document's direction or the one given (kept). */
  autoLayout(direction?: 'LR' | 'TB'): void;
  /**
   * Replaces the document (use commands.ts's openDocument, which asks first); says why the text
   * is not a valid document, or what migrating an older one changed.
   */
  open(
    text: string,
    fileName: string | null,
    options?: { dirty?: boolean },
  ): { ok: true; notes: string[] } | { ok: false; problems: Problem[] };
  markSaved(fileName: string): void;
  /**
   * Records training runs (the run recorder's one way in). History, not an edit: it is no undo
   * step, and undo and redo keep it.
   */
  recordRuns(change: (runs: RunRecord[]) => RunRecord[]): void;
}

const HISTORY_LIMIT = 200;

/** New data with another class count: the output layer takes it (the analysis' own fix). */
function withClassCount(doc: GraphDocument): GraphDocument {
  const fix = analyze(doc).problems.find((p) => p.fix?.param === 'outFeatures')?.fix;
  return fix ? setParam(doc, fix.nodeId, fix.param, fix.value) : doc;
}
const analyzeDoc = (doc: GraphDocument) => analyze(doc);

function initialDocument(): GraphDocument {
  const parsed = parseDocument(EMPTY_TEMPLATE);
  if (!parsed.ok) throw new Error('the empty template is invalid');
  return parsed.document;
}

export const useDocument = create<DocumentState>()((set, get) => {
  /** Applies an edit as one named undo step. */
  const edit = (label: string, change: (doc: GraphDocument) => GraphDocument, selection?: Selection) => {
    const { doc, past } = get();
    const next = change(doc);
    if (next === doc) return;
    set({
      doc: next,
      analysis: analyzeDoc(next),
      past: [...past, { label, doc }].slice(-HISTORY_LIMIT),
      future: [],
      dirty: true,
      ...(selection ? { selection } : {}),
    });
  };
  const travel = (from: 'past' | 'future') => {
    const state = get();
    const stack = state[from];
    const entry = stack.at(-1);
    if (!entry) return;
    const other = from === 'past' ? 'future' : 'past';
    set({
      doc: entry.doc,
      analysis: analyzeDoc(entry.doc),
      [from]: stack.slice(0, -1),
      [other]: [...state[other], { label: entry.label, doc: state.doc }],
      dirty: true,
      selection: { nodes: [], edges: [] },
    });
  };
  const doc = initialDocument();
  return {
    doc,
    runs: [],
    analysis: analyzeDoc(doc),
    fileName: null,
    dirty: false,
    opened: 0,
    past: [],
    future: [],
    selection: { nodes: [], edges: [] },
    clipboard: null,
    commands: {
      addNode(kind, position) {
        const [, id] = addNode(get().doc, kind, position);
        edit(`Add ${kind}`, (d) => addNode(d, kind, position)[0], { nodes: [id], edges: [] });
        return id;
      },
      connect(source, target) {
        const refusal = connectionRefusal(get().doc, source, target, get().analysis);
        if (refusal) return refusal;
        edit(`Connect ${source.node} → ${target.node}`, (d) => connect(d, source, target));
        return null;
      },
      deleteSelection() {
        const { nodes, edges } = get().selection;
        if (!nodes.length && !edges.length) return;
        const count = nodes.length + edges.length;
        edit(
          `Delete ${count === 1 ? (nodes[0] ?? 'connection') : `${count} items`}`,
          (d) => removeItems(d, new Set(nodes), new Set(edges)),
          { nodes: [], edges: [] },
        );
      },
      moveNodes(positions) {
        edit(
          positions.size === 1 ? `Move ${[...positions.keys()][0]}` : `Move ${positions.size} nodes`,
          (d) => moveNodes(d, positions),
        );
      },
      setParam(nodeId, param, value) {
        edit(`Set ${nodeId}.${param}`, (d) => {
          // Another dataset takes other options (samples, noise, …): they start from its defaults.
          const node = d.nodes.find((n) => n.id === nodeId);
          if (node?.kind === 'Dataset' && param === 'name')
            return followSizes(replaceParams(d, nodeId, { name: value }), nodeId);
          // Sizes downstream follow the new one (fc1.outFeatures → fc2.inFeatures) in this one undo step.
          return followSizes(setParam(d, nodeId, param, value), nodeId);
        });
      },
      useTable(table) {
        edit(`Use data ${table.file.name}`, (d) => {
          const node = d.nodes.find((n) => n.kind === 'Dataset');
          if (!node) return d;
          // Sizes downstream follow the table's feature count (data.x → fc1.inFeatures), and the
          // output layer its class count, in this one step.
          return withClassCount(followSizes(replaceParams(d, node.id, { name: 'table', table }), node.id));
        });
      },
      useImages(images) {
        edit(`Use images ${images.folder.name}`, (d) => {
          const node = d.nodes.find((n) => n.kind === 'Dataset');
          if (!node) return d;
          return withClassCount(followSizes(replaceParams(d, node.id, { name: 'images', images }), node.id));
        });
      },
      setTraining(patch, label = 'Change training settings') {
        edit(label, (d) => (d.training ? { ...d, training: { ...d.training, ...patch } } : d));
      },
      rename(name) {
        edit('Rename document', (d) => ({ ...d, metadata: { ...d.metadata, name } }));
      },
      select(selection) {
        set({ selection });
      },
      selectAll() {
        const { doc } = get();
        set({ selection: { nodes: doc.nodes.map((n) => n.id), edges: doc.edges.map((e) => e.id) } });
      },
      undo: () => travel('past'),
      redo: () => travel('future'),
      copy() {
        const { doc, selection } = get();
        if (selection.nodes.length) set({ clipboard: copyNodes(doc, new Set(selection.nodes)) });
      },
      paste() {
        const clip = get().clipboard;
        if (!clip) return;
        const [, ids] = paste(get().doc, clip);
        edit(
          `Paste ${clip.nodes.length} node${clip.nodes.length === 1 ? '' : 's'}`,
          (d) => paste(d, clip)[0],
          {
            nodes: ids,
            edges: [],
          },
        );
      },
      duplicate() {
        const { doc, selection } = get();
        if (!selection.nodes.length) return;
        const clip = copyNodes(doc, new Set(selection.nodes));
        const [, ids] = paste(doc, clip);
        edit(
          `Duplicate ${clip.nodes.length} node${clip.nodes.length === 1 ? '' : 's'}`,
          (d) => paste(d, clip)[0],
          {
            nodes: ids,
            edges: [],
          },
        );
      },
      groupSelection() {
        const { doc, selection } = get();
        const [, groupId] = groupNodes(doc, new Set(selection.nodes));
        edit('Group nodes', (d) => groupNodes(d, new Set(selection.nodes))[0], {
          nodes: [groupId],
          edges: [],
        });
      },
      ungroupSelection() {
        const { doc, selection } = get();
        const groupId = selection.nodes.find((id) => doc.nodes.find((n) => n.id === id)?.kind === 'Group');
        if (!groupId) throw new Error('select a Group node to ungroup');
        edit(`Ungroup ${groupId}`, (d) => ungroupNode(d, groupId), { nodes: [], edges: [] });
      },
      autoLayout(direction) {
        const label =
          direction === undefined
            ? 'Auto layout'
            : direction === 'LR'
              ? 'Arrange left to right'
              : 'Arrange top to bottom';
        edit(label, (d) => autoLayout(d, direction));
        set({ opened: get().opened + 1 }); // fit the laid-out graph into view
      },
      open(text, fileName, { dirty = false } = {}) {
        const parsed = parseDocument(text);
        if (!parsed.ok) return parsed;
        const { runs = [], ...graph } = parsed.document;
        set({
          doc: graph,
          runs,
          analysis: analyzeDoc(graph),
          fileName,
          dirty,
          past: [],
          future: [],
          selection: { nodes: [], edges: [] },
          opened: get().opened + 1,
        });
        return { ok: true, notes: parsed.notes };
      },
      markSaved(fileName) {
        set({ fileName, dirty: false });
      },
      recordRuns(change) {
        set({ runs: change(get().runs), dirty: true });
      },
    },
  };
});

/** The document with its recorded runs: what Save and the autosave write. */
export function fullDocument(): GraphDocument {
  const { doc, runs } = useDocument.getState();
  return runs.length ? { ...doc, runs } : doc;
}

/** The document as saved: deterministic bytes. */
export const documentText = (): string => serializeDocument(fullDocument());
