// The IPC contract between Electron's main process and the renderer: for each channel, a zod
// schema of its arguments (main validates every call with it) and the type of its result. The
// preload exposes one named function per channel and one subscription per event, nothing
// generic; main's typed `handle` only accepts these channels, from the app's own top frame.
import { z } from 'zod';

/** What a save writes; each has its own file filter in main's save dialog. */
export const SAVE_KINDS = ['document', 'safetensors', 'json', 'onnx', 'python'] as const;
export type SaveKind = (typeof SAVE_KINDS)[number];

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  electron: string | null;
}

export interface OpenedBinary {
  path: string;
  bytes: Uint8Array;
}

export interface OpenedFile {
  path: string;
  text: string;
  /** When a .safetensors weights file was opened: its bytes (the text is its graph document). */
  weights?: Uint8Array;
  /** When an .onnx model was opened: its bytes, for the renderer to import (the text is empty). */
  onnx?: Uint8Array;
}

/** A POSIX (/…) or Windows (C:\…) absolute path: the only kind main writes to without asking. */
export const isAbsolutePath = (path: string): boolean => /^([\\/]|[A-Za-z]:[\\/])/.test(path);

const Path = z.string().min(1, 'must be a path').max(4096, 'is too long');

export const SaveRequestSchema = z.strictObject({
  suggestedName: z
    .string()
    .min(1)
    .max(255)
    .refine((name) => !/[\\/]/.test(name), 'must be a file name without folders'),
  kind: z.enum(SAVE_KINDS, { error: `must be ${SAVE_KINDS.join(', ')}` }),
  bytes: z
    .instanceof(Uint8Array, { error: 'must be a Uint8Array' })
    .refine((b) => b.byteLength <= 2 ** 31, 'is too large'),
  /** Write here without asking (Save of a file opened or saved before). */
  path: Path.refine(isAbsolutePath, 'must be an absolute path').optional(),
});
export type SaveRequest = z.infer<typeof SaveRequestSchema>;

/** Each channel's arguments as a tuple schema. */
export const IPC_ARGS = {
  'app:getInfo': z.tuple([]),
  /** Shows the open dialog; null when cancelled. */
  'file:open': z.tuple([]),
  'file:openRecent': z.tuple([Path]),
  /** Shows the open dialog for a weights file (safetensors); its bytes, or null when cancelled. */
  'file:openWeights': z.tuple([]),
  /** Writes atomically (temporary file + rename); returns the path, or null when cancelled. */
  'file:save': z.tuple([SaveRequestSchema]),
  'file:recent': z.tuple([]),
  /** The renderer reports unsaved changes, so closing the window can ask first. */
  'app:setDirty': z.tuple([z.boolean({ error: 'must be a boolean' })]),
  /** The commands that cannot run now, with the reason: the native menu greys them out. */
  'menu:setBlocked': z.tuple([
    z
      .record(
        z
          .string()
          .regex(/^[a-z][\w.]*$/, 'must be a command id')
          .max(100),
        z.string().max(1000),
      )
      .refine((r) => Object.keys(r).length <= 200, 'names too many commands'),
  ]),
};

export type IpcChannel = keyof typeof IPC_ARGS;
export type IpcArgs<C extends IpcChannel> = z.infer<(typeof IPC_ARGS)[C]>;

/** What each channel answers. */
export interface IpcResults {
  'app:getInfo': AppInfo;
  'file:open': OpenedFile | null;
  'file:openRecent': OpenedFile | null;
  'file:openWeights': OpenedBinary | null;
  'file:save': string | null;
  'file:recent': string[];
  'app:setDirty': void;
  'menu:setBlocked': void;
}
export type IpcResult<C extends IpcChannel> = IpcResults[C];
// Every channel has an arguments schema and a result type (a missing one is a compile error).
export type IpcContract = { [C in IpcChannel]: { args: IpcArgs<C>; result: IpcResult<C> } };

/** Events main sends to the renderer. */
export interface IpcEvents {
  /** A menu item or accelerator was used: run the command with this id. */
  'menu:command': string;
  /** A file was opened from the command line, a second instance or the OS. */
  'file:opened': OpenedFile;
}

type Invokers = {
  [C in IpcChannel as C extends `${string}:${infer Name}` ? Name : never]: (
    ...args: IpcArgs<C>
  ) => Promise<IpcResult<C>>;
};

/** The API the preload exposes on window.hgrad, derived from the contract. */
export type StudioApi = Invokers & {
  onMenuCommand(listener: (commandId: string) => void): () => void;
  onFileOpened(listener: (file: OpenedFile) => void): () => void;
  /**
   * Where a file the person chose or dropped lives on disk (webUtils.getPathForFile; '' for a file
   * not on disk). Recorded in a document's data reference so that `hgrad train` finds the data;
   * it grants main nothing (main reads no data files).
   */
  pathForFile(file: File): string;
};

/** Checks the arguments of an IPC call in main: the parsed arguments, or why they are refused. */
export function parseIpcArgs<C extends IpcChannel>(
  channel: C,
  args: unknown[],
): { ok: true; args: IpcArgs<C> } | { ok: false; error: string } {
  if (!Object.hasOwn(IPC_ARGS, channel)) return { ok: false, error: `unknown channel '${channel}'` };
  const parsed = IPC_ARGS[channel].safeParse(args);
  if (parsed.success) return { ok: true, args: parsed.data as IpcArgs<C> };
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'too_big' || issue.code === 'too_small')
    if (issue.path.length === 0)
      return {
        ok: false,
        error: `${channel} takes ${IPC_ARGS[channel].def.items.length} argument(s), got ${args.length}`,
      };
  const field = issue.path.slice(1).map(String).join('.');
  return { ok: false, error: `${channel}: ${field ? `${field} ` : ''}${issue.message}` };
}
