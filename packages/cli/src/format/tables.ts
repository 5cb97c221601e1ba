import Table from 'cli-table3';

/** A Markdown table: a header row, the alignment row, one row per body line. */
export function markdownTable(head: readonly string[], body: readonly (readonly string[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...body.map((b) => `| ${b.join(' | ')} |`),
  ].join('\n');
}

/** A compact boxed table for the terminal, in the default style of the analysis commands. */
export function boxTable(head: readonly string[], body: readonly (readonly string[])[]): string {
  const t = new Table({ head: [...head], style: { head: [], border: [], compact: true } });
  for (const b of body) t.push([...b]);
  return t.toString();
}
