import { SKETCH_RELATIVE_ACCURACY } from '../defaults.js';

/**
 * A quantile sketch with logarithmic buckets (as DDSketch): every reported quantile is within a
 * relative accuracy α of a value that was actually seen at that rank. Memory grows with the log of
 * the range of values, not with their number; counts are integers, so merging is exact and
 * order-free.
 */
export class QuantileSketch {
  private readonly logGamma: number;
  private readonly gamma: number;
  private readonly positive = new Map<number, number>();
  private readonly negative = new Map<number, number>();
  private zeros = 0;
  count = 0;

  constructor(readonly relativeAccuracy = SKETCH_RELATIVE_ACCURACY) {
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
  }

  add(x: number, weight = 1): void {
    this.count += weight;
    if (Math.abs(x) < MIN_MAGNITUDE) this.zeros += weight;
    else {
      const store = x > 0 ? this.positive : this.negative;
      const key = Math.ceil(Math.log(Math.abs(x)) / this.logGamma);
      store.set(key, (store.get(key) ?? 0) + weight);
      if (store.size > MAX_BUCKETS) collapseSmallest(store);
    }
  }

  merge(other: QuantileSketch): void {
    if (other.relativeAccuracy !== this.relativeAccuracy)
      throw new Error('cannot merge sketches of different accuracy');
    for (const [k, c] of other.positive) this.positive.set(k, (this.positive.get(k) ?? 0) + c);
    for (const [k, c] of other.negative) this.negative.set(k, (this.negative.get(k) ?? 0) + c);
    while (this.positive.size > MAX_BUCKETS) collapseSmallest(this.positive);
    while (this.negative.size > MAX_BUCKETS) collapseSmallest(this.negative);
    this.zeros += other.zeros;
    this.count += other.count;
  }

  /** The q-quantile (0 ≤ q ≤ 1) by the lower rank ⌊q·(n−1)⌋, or NaN if empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.floor(q * (this.count - 1));
    let seen = 0;
    const neg = [...this.negative.keys()].sort((a, b) => b - a);
    for (const k of neg) {
      seen += this.negative.get(k)!;
      if (seen > rank) return -this.bucketValue(k);
    }
    seen += this.zeros;
    if (seen > rank) return 0;
    const pos = [...this.positive.keys()].sort((a, b) => a - b);
    for (const k of pos) {
      seen += this.positive.get(k)!;
      if (seen > rank) return this.bucketValue(k);
    }
    return this.bucketValue(pos[pos.length - 1] ?? 0);
  }

  /** Buckets in use: the sketch's memory. */
  get size(): number {
    return this.positive.size + this.negative.size + (this.zeros > 0 ? 1 : 0);
  }

  private bucketValue(key: number): number {
    return (2 * this.gamma ** key) / (this.gamma + 1);
  }

  toJSON(): { alpha: number; zeros: number; positive: [number, number][]; negative: [number, number][] } {
    const sorted = (m: Map<number, number>): [number, number][] => [...m].sort((a, b) => a[0] - b[0]);
    return {
      alpha: this.relativeAccuracy,
      zeros: this.zeros,
      positive: sorted(this.positive),
      negative: sorted(this.negative),
    };
  }

  static fromJSON(j: ReturnType<QuantileSketch['toJSON']>): QuantileSketch {
    const s = new QuantileSketch(j.alpha);
    s.add(0, j.zeros);
    for (const [k, c] of j.positive) s.positive.set(k, c);
    for (const [k, c] of j.negative) s.negative.set(k, c);
    s.count = j.zeros + [...j.positive, ...j.negative].reduce((a, [, c]) => a + c, 0);
    return s;
  }
}

/** Values smaller than this in magnitude are counted as zero. */
const MIN_MAGNITUDE = 1e-12;

/**
 * At most this many buckets per sign (≈ 4 decades of accuracy at α = 0.5%). Past it, the two
 * smallest-magnitude buckets merge, as DDSketch's collapsing store does: only values closest to
 * zero lose relative accuracy, and memory stays bounded whatever the data. Merging is still exact
 * and order-free because which bucket holds a value depends only on the set of keys seen.
 */
const MAX_BUCKETS = 2048;

function collapseSmallest(store: Map<number, number>): void {
  let lowest = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  for (const k of store.keys()) {
    if (k < lowest) {
      second = lowest;
      lowest = k;
    } else if (k < second) second = k;
  }
  store.set(second, store.get(second)! + store.get(lowest)!);
  store.delete(lowest);
}
