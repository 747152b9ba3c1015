// The one way into a document: JSON text or a value → migrations → structure → meaning.
// Every problem is returned at once, each naming where it is (node id, edge id, field path).
import { migrate } from './migrations.ts';
import { DocumentSchema, type GraphDocument, type GraphEdge, type GraphNode } from './schema.ts';

export interface Problem {
  /** Where: "nodes[2].params.units", "node fc1", "edge e3". */
  path: string;
  message: string;
  nodeId?: string;
  /** A one-click fix: set this param of this node (the studio offers it as a button). */
  fix?: { nodeId: string; param: string; value: unknown; label: string };
}

export type ParseResult =
  | {
      ok: true;
      document: GraphDocument;
      /** What migrating an older document changed (empty for a current one). */
      notes: string[];
    }
  | { ok: false; problems: Problem[] };

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  );
}

export function parseDocument(input: unknown): ParseResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, problems: [{ path: '', message: `not valid JSON: ${(e as Error).message}` }] };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, problems: [{ path: '', message: 'a graph document must be a JSON object' }] };
  const migrated = migrate(value as Record<string, unknown>);
  if (!migrated.ok) return { ok: false, problems: [{ path: 'version', message: migrated.message }] };
  value = migrated.value;
  const parsed = DocumentSchema.safeParse(value);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    };
  const problems = checkReferences(parsed.data);
  return problems.length
    ? { ok: false, problems }
    : { ok: true, document: parsed.data, notes: migrated.notes };
}

function checkReferences(doc: GraphDocument): Problem[] {
  const problems = checkGraph(doc.nodes, doc.edges, '');
  const subgraphIds = new Set<string>();
  for (const sub of doc.subgraphs ?? []) {
    if (subgraphIds.has(sub.id))
      problems.push({ path: `subgraph ${sub.id}`, message: `duplicate subgraph id '${sub.id}'` });
    subgraphIds.add(sub.id);
    problems.push(...checkGraph(sub.nodes, sub.edges, `subgraph ${sub.id}: `));
  }
  return problems;
}

function checkGraph(nodes: GraphNode[], edges: GraphEdge[], where: string): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  for (const node of nodes) {
    if (ids.has(node.id))
      problems.push({
        path: `${where}node ${node.id}`,
        ...(where ? {} : { nodeId: node.id }),
        message: `${where}duplicate node id '${node.id}'`,
      });
    ids.add(node.id);
  }
  const edgeIds = new Set<string>();
  for (const edge of edges) {
    if (edgeIds.has(edge.id))
      problems.push({ path: `${where}edge ${edge.id}`, message: `${where}duplicate edge id '${edge.id}'` });
    edgeIds.add(edge.id);
    for (const end of ['source', 'target'] as const)
      if (!ids.has(edge[end].node))
        problems.push({
          path: `${where}edge ${edge.id}`,
          message: `${where}edge ${edge.id}: ${end} node '${edge[end].node}' does not exist`,
        });
  }
  return problems;
}

/** Deterministic JSON: fixed key order (the schema's), 2-space indent, trailing newline. */
export function serializeDocument(doc: GraphDocument): string {
  return `${JSON.stringify(DocumentSchema.parse(doc), null, 2)}\n`;
}
