// GroupInput: inside a subgraph, the value fed to the Group node's input port of the same name.
import { z } from 'zod';
import { ShapeError, type NodeKind } from '../types.ts';

export const portName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'port names use letters, digits and _');

const params = z.object({ name: portName.describe('Name of the Group node’s input port') });

export const GroupInput: NodeKind<z.infer<typeof params>, 'GroupInput'> = {
  kind: 'GroupInput',
  category: 'group',
  doc: 'Inside a subgraph: an input port of the Group node that runs it.',
  backwardRule: 'GroupInput: passes on the gradient that reaches it to the Group’s input',
  inputs: [],
  outputs: [{ name: 'output', dtype: 'any', doc: 'The value fed to the Group’s port' }],
  params,
  initial: { name: 'x' },
  infer() {
    throw new ShapeError('GroupInput belongs inside a subgraph; at the top level use a Dataset node');
  },
};
