/** Where the CLI writes and what it knows about its terminal; tests pass their own. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Registers a Ctrl-C handler; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
}

/**
 * The real process. One SIGINT listener is installed at once: while a command has registered a
 * handler (a run in progress), Ctrl-C goes to it and the run stops cleanly at the next chunk;
 * otherwise (loading, writing help) the process exits 130 straight away, having written nothing.
 */
export function processIO(): CliIO {
  const handlers: (() => void)[] = [];
  process.on('SIGINT', () => {
    const handler = handlers[handlers.length - 1];
    if (handler) handler();
    else process.exit(130);
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt(handler) {
      handlers.push(handler);
      return () => {
        const i = handlers.lastIndexOf(handler);
        if (i >= 0) handlers.splice(i, 1);
      };
    },
  };
}

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function colorEnabled(stream: { isTTY?: boolean }, env: CliIO['env']): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}
