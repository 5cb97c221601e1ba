import { describeErrno, EXIT } from './errors.js';

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
 * handler (a run in progress), the first Ctrl-C goes to it and the run stops cleanly at the next
 * chunk; a second Ctrl-C, or one while no handler is registered (loading, writing help), exits 130
 * straight away, having written nothing.
 *
 * Output streams: when the reader of stdout goes away (`entente run --help | head -3`: EPIPE), the
 * CLI stops writing to it and exits quietly with its own exit code (0 for help or a finished run),
 * as Unix tools do. Any other failure to write stdout (a full disk, `> /dev/full`: ENOSPC) is
 * reported in one line on stderr and exits 1. Errors on stderr itself cannot be reported and are
 * ignored.
 */
export function processIO(): CliIO {
  const handlers: (() => void)[] = [];
  let interrupted = false;
  process.on('SIGINT', () => {
    const handler = handlers[handlers.length - 1];
    if (handler && !interrupted) {
      interrupted = true;
      handler();
    } else {
      if (interrupted) process.stderr.write('interrupted again: stopped at once, no result written\n');
      process.exit(EXIT.interrupted);
    }
  });
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    const said = describeErrno(e.code);
    process.stderr.write(
      `error: cannot write to stdout: ${said === undefined ? e.message : `${said} (${e.code})`}\n`,
    );
    process.exit(EXIT.runtime);
  });
  process.stderr.on('error', () => {});
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
