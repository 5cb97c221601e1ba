import type { PureFunction, RandomFunction } from './functions.js';

/**
 * A checked formula. It is the only thing code generation sees: user text never gets past the
 * checker, only numbers, slot indices, site indices and names from our own whitelists.
 */
export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'slot'; readonly slot: number }
  | { readonly kind: 'neg'; readonly arg: Expr }
  | { readonly kind: 'not'; readonly arg: Expr }
  | { readonly kind: 'bin'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'cond'; readonly test: Expr; readonly whenTrue: Expr; readonly whenFalse: Expr }
  | { readonly kind: 'call'; readonly fn: PureFunction; readonly args: readonly Expr[] }
  | {
      readonly kind: 'rand';
      readonly fn: RandomFunction;
      readonly site: number;
      readonly args: readonly Expr[];
    };

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '^'
  | '%'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | 'and'
  | 'or'
  | 'xor';
