import fc from 'fast-check';

const number = fc
  .double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true })
  .map((x) => String(Math.round(x * 100) / 100));

/**
 * mathjs formulas over the given names that the core accepts: arithmetic, comparisons, logic,
 * conditionals and whitelisted functions. Values may be any finite number at run time, so a formula
 * can still give NaN (log of a negative): the core must then report it as a SimulationError.
 */
export function formula(names: readonly string[], maxDepth = 3): fc.Arbitrary<string> {
  const leaf = names.length > 0 ? fc.oneof(number, fc.constantFrom(...names)) : number;
  const tree: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
    f: fc.oneof(
      { maxDepth, depthSize: 'small' },
      leaf,
      fc
        .tuple(tie('f'), fc.constantFrom('+', '-', '*', '<', '>=', 'and', 'or'), tie('f'))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(tie('f'), tie('f'), tie('f')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
      fc.tuple(fc.constantFrom('abs', 'logistic', 'tanh', 'floor'), tie('f')).map(([fn, a]) => `${fn}(${a})`),
      fc.tuple(tie('f'), tie('f')).map(([a, b]) => `max(${a}, ${b})`),
      tie('f').map((a) => `clamp(${a}, 0, 1)`),
      tie('f').map((a) => `not ${a}`),
    ),
  })).f;
  return tree;
}

/** A per-step probability formula: always in [0, 1], so it never stops a run. */
export function probabilityFormula(names: readonly string[]): fc.Arbitrary<string> {
  return formula(names, 2).map((f) => `logistic(${f}) * 0.2`);
}
