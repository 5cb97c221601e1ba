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
    await new Promise<void>((resolve) => setTimeout(() => resolve(), 0));
  }
}
