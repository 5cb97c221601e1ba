import { integer } from '../formula/codegen.js';

/**
 * Runs of statements that differ only in their slot indices, as loops: what a split trial's chunk
 * functions execute for a model with many interests of one shape (1,000 contributions `x = (v[a] *
 * v[b]); chk += x; v[c] = x;`, one after the other, ~45 KB of source). As a loop over index lists the
 * trial of bench/models/alliance.ts at 1,000 interests went from ~21.1 to ~20.4 µs. The loop executes
 * the very statements, in the same order, so it gives the same bits.
 *
 * Only whole one-line statements without blocks take part: a statement's shape is its text with
 * every `v[N]` replaced by a placeholder, and a run is at least MIN_RUN consecutive statements of
 * one shape. Each placeholder becomes `v[a + d * j]` when its indices step evenly, or `v[Ln[j]]` over
 * a list (an Int32Array of numbers, declared by `declare`). Nothing but numbers and the shape's own
 * text (generated code, never the user's) reaches the result.
 */
export function loopRuns(
  statements: readonly string[],
  declare: (values: readonly number[]) => string,
): string[] {
  const shapes = statements.map(shapeOf);
  const out: string[] = [];
  let k = 0;
  while (k < statements.length) {
    const shape = shapes[k];
    let end = k + 1;
    if (shape !== undefined) while (end < statements.length && shapes[end]?.text === shape.text) end++;
    if (shape === undefined || end - k < MIN_RUN) {
      out.push(...statements.slice(k, end));
    } else {
      const runs = shapes.slice(k, end) as Shape[];
      const parts = shape.text.split(SLOT);
      const body = parts
        .map((part, p) =>
          p === 0
            ? part
            : `${slotAt(
                runs.map((s) => s.slots[p - 1]!),
                declare,
              )}${part}`,
        )
        .join('');
      out.push(`for (let j = 0; j < ${integer(end - k)}; j++) { ${body} }`);
    }
    k = end;
  }
  return out;
}

/** The fewest consecutive statements of one shape written as a loop. */
export const MIN_RUN = 8;

const SLOT = 'v[@]';

interface Shape {
  /** The statement with each `v[N]` as `v[@]`. */
  text: string;
  slots: number[];
}

function shapeOf(statement: string): Shape | undefined {
  if (/[\n{}]/.test(statement) || statement.includes(SLOT)) return undefined;
  const slots: number[] = [];
  const text = statement.replace(/v\[(\d+)\]/g, (_, n: string) => {
    slots.push(Number(n));
    return SLOT;
  });
  return slots.length === 0 ? undefined : { text, slots };
}

/** `v[…]` for the j-th statement of a run whose slots at this place are `xs`. */
function slotAt(xs: readonly number[], declare: (values: readonly number[]) => string): string {
  const a = xs[0]!;
  const d = xs[1]! - a;
  if (d >= 0 && xs.every((x, j) => x === a + d * j))
    return d === 0 ? `v[${integer(a)}]` : `v[${integer(a)} + ${d === 1 ? '' : `${integer(d)} * `}j]`;
  return `v[${declare(xs)}[j]]`;
}
