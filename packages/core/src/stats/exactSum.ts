/**
 * An exactly kept sum of doubles (Shewchuk's non-overlapping partials, as Python's math.fsum).
 * Its value is the correctly rounded exact sum, so it does not depend on the order of the terms:
 * that is what lets tallies from different chunks, workers or shards merge to identical bits.
 */
export class ExactSum {
  private readonly partials: number[] = [];

  add(x: number): void {
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
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
    p.length = i;
    p.push(x);
  }

  merge(other: ExactSum): void {
    for (const x of other.partials) this.add(x);
  }

  /** The exact sum rounded once to the nearest double (ties to even). */
  value(): number {
    const p = this.partials;
    let n = p.length;
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
    return [...this.partials];
  }

  static fromPartials(partials: readonly number[]): ExactSum {
    const s = new ExactSum();
    for (const x of partials) s.add(x);
    return s;
  }
}
