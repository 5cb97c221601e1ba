/**
 * An exactly kept sum of doubles (Shewchuk's non-overlapping partials, as Python's math.fsum).
 * Its value is the correctly rounded exact sum, so it does not depend on the order of the terms:
 * that is what lets tallies from different chunks, workers or shards merge to identical bits.
 */
export class ExactSum {
  // The partials, in p[0 … n − 1], in a typed array that grows by doubling: the trial loop adds to
  // several sums a trial, and an array trimmed with `length =` and pushed to again allocated a new
  // backing store each time (~20% of a flagship run went to tallies, and their garbage).
  private p = new Float64Array(4);
  private n = 0;

  add(x: number): void {
    const p = this.p;
    const n = this.n;
    let i = 0;
    for (let j = 0; j < n; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const swap = x;
        x = y;
        y = swap;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (i === p.length) {
      this.p = new Float64Array(2 * p.length);
      this.p.set(p);
    }
    this.p[i] = x;
    this.n = i + 1;
  }

  merge(other: ExactSum): void {
    for (let j = 0; j < other.n; j++) this.add(other.p[j]!);
  }

  /** The exact sum rounded once to the nearest double (ties to even). */
  value(): number {
    const p = this.p;
    let n = this.n;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  /** The partials, for serialising tallies (shards); `fromPartials` restores them. */
  toJSON(): number[] {
    return Array.from(this.p.subarray(0, this.n));
  }

  static fromPartials(partials: readonly number[]): ExactSum {
    const s = new ExactSum();
    for (const x of partials) s.add(x);
    return s;
  }
}
