/** Where a command writes: process.stdout/stderr in the bin, string buffers in tests. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** A terminal: `rollouts watch` redraws in place. */
  isTTY?: boolean;
  /** Terminal width, to keep redrawn lines from wrapping. */
  columns?: number;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
}
