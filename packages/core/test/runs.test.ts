import { describe, expect, it } from 'vitest';
import { loopRuns, MIN_RUN } from '../src/model/runs.js';

/** Run statements over `v` as a chunk function would (x and chk are its locals); returns [v, chk]. */
function execute(statements: readonly string[], lists: Map<string, Int32Array>, v: Float64Array) {
  const names = [...lists.keys()];
  const body = `let x = 0, chk = 0;\n${statements.join('\n')}\nreturn chk;`;
  const chk = new Function(...names, 'v', body)(...lists.values(), v) as number;
  return [Array.from(v), chk] as const;
}

function looped(statements: readonly string[]) {
  const lists = new Map<string, Int32Array>();
  const out = loopRuns(statements, (values) => {
    const name = `L${lists.size}`;
    lists.set(name, Int32Array.from(values));
    return name;
  });
  return { out, lists };
}

const product = (a: number, b: number, c: number) => `x = (v[${a}] * v[${b}]); chk += x; v[${c}] = x;`;
const start = () => Float64Array.from({ length: 400 }, (_, k) => Math.sin(k + 1) * 3);

describe('loopRuns: runs of one shape as loops, the same bits', () => {
  it('writes a run with evenly stepping slots as one loop over j', () => {
    const statements = Array.from({ length: 50 }, (_, j) => product(1 + 2 * j, 2 + 2 * j, 200 + j));
    const { out, lists } = looped(statements);
    expect(out).toEqual([
      'for (let j = 0; j < 50; j++) { x = (v[1 + 2 * j] * v[2 + 2 * j]); chk += x; v[200 + j] = x; }',
    ]);
    expect(lists.size).toBe(0);
    expect(execute(out, lists, start())).toEqual(execute(statements, new Map(), start()));
  });

  it('reads uneven slots from a list, keeps short runs and blocks as they are, in order', () => {
    const uneven = [3, 9, 4, 17, 5, 30, 6, 1, 12, 2];
    const statements = [
      'x = 0.5; chk += x; v[399] = x;',
      ...uneven.map((a, j) => product(a, 100 + j, 300 + j)),
      ...Array.from({ length: MIN_RUN - 1 }, (_, j) => `x = (v[${50 + j}] + 1); chk += x; v[${60 + j}] = x;`),
      'if (v[1] > 0) { v[2] = 1; }',
      // Reads what the loop before wrote: the order of the statements is kept.
      ...Array.from(
        { length: 12 },
        (_, j) => `x = (v[${300 + (j % 10)}] - v[${310 + j}]); chk += x; v[${310 + j + 1}] = x;`,
      ),
    ];
    const { out, lists } = looped(statements);
    expect(out[0]).toBe(statements[0]);
    expect(out[1]).toBe(
      'for (let j = 0; j < 10; j++) { x = (v[L0[j]] * v[100 + j]); chk += x; v[300 + j] = x; }',
    );
    expect(out.slice(2, 2 + MIN_RUN - 1)).toEqual(statements.slice(11, 11 + MIN_RUN - 1));
    expect(out[1 + MIN_RUN]).toBe('if (v[1] > 0) { v[2] = 1; }');
    expect(out[2 + MIN_RUN]).toBe(
      'for (let j = 0; j < 12; j++) { x = (v[L1[j]] - v[310 + j]); chk += x; v[311 + j] = x; }',
    );
    expect(out).toHaveLength(3 + MIN_RUN);
    expect([...lists.get('L0')!]).toEqual(uneven);
    expect(execute(out, lists, start())).toEqual(execute(statements, new Map(), start()));
  });

  it('leaves statements that differ in anything but slot indices alone', () => {
    const statements = Array.from(
      { length: 20 },
      (_, j) => `x = (v[${j}] * ${j + 1}); chk += x; v[${100 + j}] = x;`,
    );
    expect(looped(statements).out).toEqual(statements);
  });
});
