// GroupOutput: inside a subgraph, the value the Group node gives on its output port of that name.
import { z } from 'zod';
import type { NodeKind } from '../types.ts';
import { portName } from './group-input.ts';

const params = z.object({ name: portName.describe('Name of the Group node’s output port') });

export const GroupOutput: NodeKind<z.infer<typeof params>, 'GroupOutput'> = {
  kind: 'GroupOutput',
  category: 'group',
  doc: 'Inside a subgraph: an output port of the Group node that runs it.',
  backwardRule: 'GroupOutput: passes g through',
  inputs: [{ name: 'input', dtype: 'any', doc: 'The value to give out' }],
  outputs: [],
  params,
  initial: { name: 'output' },
  infer: () => ({ outputs: {} }),
};
