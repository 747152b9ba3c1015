// What a command writes to, and the error that means "the user's input is at fault" (exit 1).
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** A transient status line (a progress bar on terminals). */
  progress?(line: string): void;
}

export class UserError extends Error {}
