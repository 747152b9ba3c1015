// Group: an instance of a reusable subgraph. Its ports are the subgraph's GroupInput and
// GroupOutput nodes (resolved by analyze, since they depend on the document), and each instance
// owns its parameters, named "<group node id>.<inner node id>.weight" in the state dict.
import { z } from 'zod';
import { ShapeError, type NodeKind } from '../types.ts';

const params = z.object({
  subgraph: z
    .string()
    .min(1)
    .max(200)
    .describe('Id of the subgraph (in the document’s subgraphs) this node runs'),
});

export const Group: NodeKind<z.infer<typeof params>, 'Group'> = {
  kind: 'Group',
  category: 'group',
  doc: 'Runs a reusable subgraph; its ports are the subgraph’s GroupInput and GroupOutput nodes.',
  backwardRule: 'Group: the gradient flows back through the subgraph’s nodes',
  face: (p) => p.subgraph,
  inputs: [],
  outputs: [],
  params,
  initial: { subgraph: 'block' },
  infer() {
    throw new ShapeError('a Group’s shapes come from its subgraph; analyze() resolves them');
  },
};
