/**
 * Long computations are generators that yield between chunks of work. `drive` runs one to its end;
 * `driveAsync` gives the event loop a turn at every yield (so a progress bar can redraw and Ctrl-C
 * can be handled) and returns the same value.
 */
export function drive<T>(work: Generator<unknown, T>): T {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
    if (r.value !== undefined) throw new TypeError('this work runs elsewhere in part: use its async version');
  }
}

/**
 * As `drive`, with a turn of the event loop between chunks; the same result. Work that hands some of
 * itself elsewhere (worker threads) yields a promise instead: it is resumed with its value, or its
 * error thrown into it.
 */
export async function driveAsync<T>(work: Generator<unknown, T, unknown>): Promise<T> {
  let r = work.next();
  for (;;) {
    if (r.done) return r.value;
    if (r.value === undefined) {
      await turn();
      r = work.next();
      continue;
    }
    let value: unknown;
    try {
      value = await r.value;
    } catch (e) {
      r = work.throw(e);
      continue;
    }
    r = work.next(value);
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
