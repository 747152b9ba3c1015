// Elementwise kernel calls that the threads share out (threads.ts, MODE 3): every thread
// instantiates these modules over the arena and runs its own range of one call, the values of
// each element computed by the same code wherever it runs. A call is named by its number here,
// so that a helper thread can be told which to run through the shared control block.
import { BYTES_BASE64 as ELEMENTWISE } from './elementwise-shared.wasm.ts';
import { BYTES_BASE64 as ACTIVATIONS } from './activations-shared.wasm.ts';
import { BYTES_BASE64 as MAXPOOL } from './maxpool-shared.wasm.ts';
import { BYTES_BASE64 as BATCHNORM } from './batchnorm-shared.wasm.ts';
import { BYTES_BASE64 as ADAM } from './adam-shared.wasm.ts';
import { exactActivations } from './activations-exact.ts';
import type { WasmMemory } from './instance.ts';

const MODULES = {
  elementwise: { base64: ELEMENTWISE, imports: {} },
  activations: { base64: ACTIVATIONS, imports: { m: exactActivations } },
  maxpool: { base64: MAXPOOL, imports: {} },
  batchnorm: { base64: BATCHNORM, imports: {} },
  adam: { base64: ADAM, imports: {} },
} as const;
type ModuleName = keyof typeof MODULES;

/** The calls, by name: the module and its export (arguments: byte addresses, counts, codes). */
const CALLS = {
  binary: ['elementwise', 'binary'],
  unary: ['elementwise', 'unary'],
  threshold: ['elementwise', 'threshold'],
  activationGrad: ['elementwise', 'activationGrad'],
  tanh: ['activations', 'tanh'],
  sigmoid: ['activations', 'sigmoid'],
  pool2x2: ['maxpool', 'pool2x2'],
  unpool: ['maxpool', 'unpool'],
  bnStats: ['batchnorm', 'stats'],
  bnNormalize: ['batchnorm', 'normalize'],
  bnGradSums: ['batchnorm', 'gradSums'],
  bnGradInput: ['batchnorm', 'gradInput'],
  adam: ['adam', 'adam'],
} as const satisfies Record<string, readonly [ModuleName, string]>;
export type SplitCallName = keyof typeof CALLS;
const NAMES = Object.keys(CALLS) as SplitCallName[];
/** A call's number, as the control block carries it. */
export const splitCallId = (name: SplitCallName): number => NAMES.indexOf(name);
/** The most arguments a call takes (Adam's: four addresses, a count, flags and nine scalars). */
export const MAX_SPLIT_ARGS = 16;

/** One call: its name and arguments. */
export type SplitCall = readonly [SplitCallName, readonly number[]];

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

type Exports = Record<string, (...args: number[]) => void>;

/** Runs a call, by number, with its arguments. */
export type SplitRunner = (id: number, args: ArrayLike<number>) => void;

const runners = new WeakMap<WasmMemory, SplitRunner>();

/**
 * Runs calls (by number) on this thread's instances over `memory`, each module instantiated on
 * first use; one set per memory (the arena's, shared by split.ts and threads.ts).
 */
export function splitRunner(memory: WasmMemory): SplitRunner {
  const known = runners.get(memory);
  if (known) return known;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly!;
  const made: Partial<Record<ModuleName, Exports>> = {};
  const instance = (name: ModuleName): Exports => {
    const existing = made[name];
    if (existing) return existing;
    const { base64, imports } = MODULES[name];
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const module = new wasm.Module(bytes);
    return (made[name] = new wasm.Instance(module, { ...imports, env: { memory } }).exports as Exports);
  };
  const run: SplitRunner = (id, args) => {
    const [module, fn] = CALLS[NAMES[id]!];
    instance(module)[fn]!(...Array.from(args));
  };
  runners.set(memory, run);
  return run;
}
