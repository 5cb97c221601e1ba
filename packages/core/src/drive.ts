/**
 * Long computations are generators that yield between chunks of work. `drive` runs one to its end;
 * `driveAsync` gives the event loop a turn at every yield (so a progress bar can redraw and Ctrl-C
 * can be handled) and returns the same value.
 */
export function drive<T>(work: Generator<unknown, T>): T {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/** As `drive`, with a turn of the event loop between chunks; the same result. */
export async function driveAsync<T>(work: Generator<void, T>): Promise<T> {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
    await turn();
  }
}

type Immediate = (callback: () => void) => unknown;

/**
 * One turn of the event loop: timers, I/O, signals (Ctrl-C) and worker messages are handled before
 * it resolves. `setImmediate` where there is one (Node, Bun, Deno): it waits for nothing else, where
 * `setTimeout(…, 0)` waits at least a millisecond, a quarter of the work between turns at 1,000
 * trials a chunk. Elsewhere (a browser) `setTimeout`.
 */
export function turn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  return new Promise<void>((resolve) =>
    immediate === undefined ? setTimeout(resolve, 0) : immediate(resolve),
  );
}
