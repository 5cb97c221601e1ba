import { create, parseDependencies } from 'mathjs';

/**
 * A restricted mathjs instance that can only parse. Following mathjs's security guidance we never
 * evaluate user text with it: the parse tree is checked against our whitelist and turned into our
 * own expression type, and only that is compiled. Creating just `parse` also keeps start-up fast.
 */
const math = create({ parseDependencies: parseDependencies! });

export type MathNode = import('mathjs').MathNode;

export function parseFormula(text: string): MathNode {
  return math.parse(text) as MathNode;
}
