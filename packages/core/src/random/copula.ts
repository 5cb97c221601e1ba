import { normalCdf, normalQuantile } from './special.js';

/**
 * Rank correlations among params, realised with a Gaussian copula (docs/SCENARIOS.md,
 * "Correlations"). Each param still draws one uniform u from its own stream; the copula maps the
 * group's uniforms to normal scores z = Φ⁻¹(u), mixes them with the Cholesky factor L of the normal
 * correlations (w = L z) and hands Φ(w) to each param's own quantile function. A param's marginal is
 * therefore unchanged, and its value depends on its own stream and on the streams of the params
 * before it in its group (the first keeps its draw exactly: L's first row is e₁).
 */

/** One `correlations:` entry, as the copula sees it; `index` is its place in the list. */
export interface CorrelationPair {
  readonly a: string;
  readonly b: string;
  readonly rank: number;
  readonly index: number;
}

/** Params linked by non-zero correlations, directly or through each other. */
export interface CorrelationGroup {
  /** In the order they are first named in `correlations:`; the first keeps its own draw. */
  readonly members: readonly string[];
  /** The listed pairs among them, in list order. */
  readonly pairs: readonly CorrelationPair[];
  /** Normal (copula) correlations, members × members; pairs not listed are 0. */
  readonly matrix: readonly (readonly number[])[];
}

/**
 * A Cholesky pivot at or below this is a failure. Every row of L has unit length (the diagonal of a
 * correlation matrix is 1), so a matrix just above it still gives bounded, finite factors.
 */
export const CHOLESKY_TOLERANCE = 1e-10;

/**
 * The smallest and largest uniforms the copula hands a quantile function: those `aleaOpen` can give
 * (the 2⁻³² grid shifted by half a step), so a sampler sees no uniform it was not checked on.
 */
const U_LOWEST = 2 ** -33;
const U_HIGHEST = 1 - 2 ** -33;

/**
 * The normal correlation ρ whose Gaussian copula has Spearman rank correlation r_s:
 * ρ = 2 sin(π r_s / 6) (Pearson 1907; exact for continuous marginals).
 */
export function normalFromRank(rank: number): number {
  return 2 * Math.sin((Math.PI * rank) / 6);
}

/** A uniform's normal score Φ⁻¹(u): the copula's input. */
export function normalScore(u: number): number {
  return normalQuantile(u);
}

/** The uniform Φ(w) of a correlated normal score, kept inside the range `aleaOpen` gives. */
export function copulaUniform(w: number): number {
  const u = normalCdf(w);
  return Math.min(Math.max(u, U_LOWEST), U_HIGHEST);
}

/**
 * The groups of a list of pairs: connected components of the pairs whose rank is not 0 (a rank of
 * 0 says what leaving the pair out says). Groups come in the order of their first member.
 */
export function correlationGroups(pairs: readonly CorrelationPair[]): CorrelationGroup[] {
  const linked = pairs.filter((p) => p.rank !== 0);
  const order: string[] = [];
  const parent = new Map<string, string>();
  const root = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  for (const p of linked) {
    for (const n of [p.a, p.b])
      if (!parent.has(n)) {
        parent.set(n, n);
        order.push(n);
      }
    const [ra, rb] = [root(p.a), root(p.b)];
    if (ra !== rb) parent.set(rb, ra);
  }
  const groups = new Map<string, string[]>();
  for (const n of order) {
    const r = root(n);
    const g = groups.get(r) ?? [];
    g.push(n);
    groups.set(r, g);
  }
  return [...groups.values()].map((members) => {
    const at = new Map(members.map((m, i) => [m, i]));
    const groupPairs = linked.filter((p) => at.has(p.a));
    const matrix = members.map((_, i) => members.map((_, j): number => (i === j ? 1 : 0)));
    for (const p of groupPairs) {
      const [i, j] = [at.get(p.a)!, at.get(p.b)!];
      matrix[i]![j] = matrix[j]![i] = normalFromRank(p.rank);
    }
    return { members, pairs: groupPairs, matrix };
  });
}

/**
 * The lower-triangular Cholesky factor of a symmetric matrix (row j has j + 1 entries), or the
 * first pivot that is not positive: the matrix is then not positive definite, and its leading
 * (pivot + 1) × (pivot + 1) block is the smallest leading block that is not.
 */
export function cholesky(
  m: readonly (readonly number[])[],
): { ok: true; factor: number[][] } | { ok: false; pivot: number } {
  const L: number[][] = [];
  for (let j = 0; j < m.length; j++) {
    const row: number[] = [];
    for (let k = 0; k < j; k++) {
      let s = m[j]![k]!;
      for (let i = 0; i < k; i++) s -= row[i]! * L[k]![i]!;
      row.push(s / L[k]![k]!);
    }
    let d = m[j]![j]!;
    for (let i = 0; i < j; i++) d -= row[i]! * row[i]!;
    if (!(d > CHOLESKY_TOLERANCE)) return { ok: false, pivot: j };
    row.push(Math.sqrt(d));
    L.push(row);
  }
  return { ok: true, factor: L };
}

/**
 * For a group whose matrix is not positive definite, the pair to name. Cholesky runs through the
 * members in order and fails first at some member's pivot; the culprit is among the listed pairs
 * between that member and the ones before it: the last listed whose removal makes the whole group
 * consistent, else the last whose removal makes the failing block consistent, else the last listed.
 * `others` are the listed pairs it conflicts with (those within the block), `unlisted` the pairs of
 * the block that are not listed and so count as independent.
 */
export function conflictingPair(
  group: CorrelationGroup,
): { pair: CorrelationPair; others: CorrelationPair[]; unlisted: [string, string][] } | undefined {
  const first = cholesky(group.matrix);
  if (first.ok) return undefined;
  const j = first.pivot;
  const block = new Set(group.members.slice(0, j + 1));
  const inBlock = group.pairs.filter((p) => block.has(p.a) && block.has(p.b));
  const pivotName = group.members[j]!;
  // Latest first: reading the list from the top, a later pair breaks what the earlier ones set up.
  const candidates = inBlock.filter((p) => p.a === pivotName || p.b === pivotName).reverse();
  const without = (p: CorrelationPair, size: number): boolean => {
    const at = new Map(group.members.map((m, i) => [m, i]));
    const m = group.matrix.slice(0, size).map((row) => row.slice(0, size));
    const [a, b] = [at.get(p.a)!, at.get(p.b)!];
    m[a]![b] = m[b]![a] = 0;
    return cholesky(m).ok;
  };
  const pair =
    candidates.find((p) => without(p, group.members.length)) ??
    candidates.find((p) => without(p, j + 1)) ??
    candidates[0]!;
  const listed = new Set(inBlock.map((p) => [p.a, p.b].sort().join('\u0000')));
  const unlisted: [string, string][] = [];
  const names = group.members.slice(0, j + 1);
  for (let x = 0; x < names.length; x++)
    for (let y = x + 1; y < names.length; y++)
      if (!listed.has([names[x]!, names[y]!].sort().join('\u0000'))) unlisted.push([names[x]!, names[y]!]);
  return { pair, others: inBlock.filter((p) => p !== pair), unlisted };
}
