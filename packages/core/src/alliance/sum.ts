/** Sums of many contributions that stay within the formula limits (docs/ALLIANCE.md). */

/** Terms in one generated sum before it is chained through partial sums (`chainedSum`). */
export const SUM_CHUNK = 64;

/**
 * The formula of `name` = the sum of `terms`, left to right. Past SUM_CHUNK terms it is chained
 * through partial sums, each defined by `define` (`hold_upto_64 = c1 + … + c64`, `hold_upto_128 =
 * hold_upto_64 + c65 + … + c128`, …), so that a model with hundreds of inputs stays within the
 * formula limits while adding in the very same order, to the same bits, as one long sum.
 */
export function chainedSum(
  name: string,
  terms: readonly string[],
  define: (id: string, formula: string) => void,
): string {
  if (terms.length === 0) return '0';
  const rest = [...terms];
  let carried: string | undefined;
  for (let part = 1; rest.length > SUM_CHUNK; part++) {
    const id = `${name}_upto_${part * SUM_CHUNK}`;
    define(id, [...(carried ? [carried] : []), ...rest.splice(0, SUM_CHUNK)].join(' + '));
    carried = id;
  }
  return [...(carried ? [carried] : []), ...rest].join(' + ');
}
