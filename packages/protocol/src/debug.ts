// The step-through debugger's messages: a plan of steps (every node forward, then the nodes
// that lead to the loss backward), and for the current step the tensors it shows.
import type { TensorInspection } from './inspection.ts';

export type DebugPhase = 'forward' | 'backward';

export interface DebugPlanStep {
  phase: DebugPhase;
  nodeId: string;
  kind: string;
}

/**
 * What a tensor of a step is: the node's inputs and outputs (forward); the gradient it receives
 * (gradOutput), sends to its inputs (gradInput) and to its parameters (gradParam), and the
 * parameters' values the rule uses (param) (backward); a recurrent node's hidden state at each
 * unrolled step (hidden) and the gradient reaching it.
 */
export const DEBUG_ROLES = [
  'input',
  'output',
  'gradOutput',
  'gradInput',
  'gradParam',
  'hidden',
  'gradHidden',
  'param',
] as const;
export type DebugRole = (typeof DEBUG_ROLES)[number];

export interface DebugTensor {
  role: DebugRole;
  /** A port name, a state-dict parameter name, or "t=3" for an unrolled step. */
  name: string;
  /** With every value when the tensor is small (≤ 256 values); ask `inspect` for larger ones. */
  inspection: TensorInspection;
}

export interface DebugFrame {
  index: number;
  phase: DebugPhase;
  nodeId: string;
  kind: string;
  /** The node's local backward rule, in words. */
  rule: string;
  tensors: DebugTensor[];
}

export const DEBUG_ACTIONS = ['start', 'forward', 'back', 'jump', 'end', 'stop'] as const;
export type DebugAction = (typeof DEBUG_ACTIONS)[number];
