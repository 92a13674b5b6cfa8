// Table composition (issue 15 item 4): `extends:` another table, `drop_columns`, `add_columns` (after/before/at the
// end), group headers by column id that follow the edits, and the diagnostics of each misuse at its line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const grunfeld = fileURLToPath(new URL('../../data/grunfeld.csv', import.meta.url));
const HEAD = `data: { source: ${JSON.stringify(grunfeld)}, unit: firm, time: year }
models:
  a: { formula: inv ~ value + capital }
  b: { formula: inv ~ value + capital | firm }
  c: { formula: inv ~ value + capital | firm + year }
  d: { formula: inv ~ value | firm + year }
  e: { formula: inv ~ capital | firm + year }
`;

async function run(cmd: 'run' | 'validate', tables: string) {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-extends-'));
  writeFileSync(join(dir, 's.yaml'), `${HEAD}tables:\n${tables}`);
  const r = await runCli(
    cmd === 'run'
      ? ['run', 's.yaml', '--out', 'out', '--no-cache', '--quiet', '--format', 'md']
      : ['validate', 's.yaml'],
    dir,
  );
  const md = (id: string) => readFileSync(join(dir, 'out', `${id}.md`), 'utf8');
  return { ...r, md };
}

/** The Markdown header row's cells (after the stub). */
const headerOf = (md: string) =>
  md
    .split('\n')
    .find((l) => l.startsWith('| '))!
    .split('|')
    .slice(2, -1)
    .map((s) => s.trim());

describe('tables that extend tables', () => {
  it('inherits everything, drops and inserts columns, and group headers by id follow', async () => {
    const r = await run(
      'run',
      `  base:
    title: Base
    columns: [a, b, c]
    groups: [{ label: FE, columns: [b, c] }]
    labels: { value: Value }
    stats: [nobs, r2]
  plus:
    extends: base
    title: Plus
    add_columns:
      - { after: b, columns: [d] }
      - { columns: [e] }
  minus:
    extends: base
    drop_columns: [a]
    labels: { capital: Capital }
`,
    );
    expect(r.code, r.stderr).toBe(0);
    const fe = (md: string) => headerOf(md).map((c) => c.startsWith('FE'));
    expect(fe(r.md('base'))).toEqual([false, true, true]);
    // plus: a | b d c (the FE group grows to three columns) | e
    const plus = r.md('plus');
    expect(plus).toMatch(/\*\*Plus\*\*/);
    expect(plus).toMatch(/\| Value \|/); // labels inherited
    const plusHeader = plus.split('\n').find((l) => l.startsWith('| '))!;
    expect(plusHeader.split('|').length - 2).toBe(1 + 5);
    const body = plus.split('\n').filter((l) => l.startsWith('| Value'));
    expect(body).toHaveLength(1);
    // the group spans b, d, c: its header is over columns 2–4 (Markdown repeats a spanned header in each cell)
    expect(fe(plus)).toEqual([false, true, true, true, false]);
    expect(headerOf(plus).map((c) => c.replace(/^FE<br>/, ''))).toEqual([
      'inv<br>(1)',
      'inv<br>(2)',
      'inv<br>(3)',
      'inv<br>(4)',
      'inv<br>(5)',
    ]);
    // minus: b c, both under FE; labels merged
    const minus = r.md('minus');
    expect(minus).toMatch(/\| Value \|/);
    expect(minus).toMatch(/\| Capital \|/);
    const minusHeader = minus.split('\n').find((l) => l.startsWith('| '))!;
    expect(minusHeader.length).toBeGreaterThan(0);
    expect(fe(minus)).toEqual([true, true]);
  });

  it('reports an unknown parent, a cycle, an unknown column, split groups and a table with no columns', async () => {
    const r = await run(
      'validate',
      `  t1: { extends: t9 }
  t2: { extends: t3 }
  t3: { extends: t2 }
  t4: { columns: [a, b], drop_columns: [] }
  t5: { extends: t4, drop_columns: [zz] }
  t6: { columns: [a, b, c], groups: [{ label: G, columns: [a, c] }] }
  t7: { title: x }
  t8: { extends: t4, add_columns: [{ after: q, columns: [c] }] }
`,
    );
    expect(r.code).toBe(2);
    const lines = r.stderr;
    expect(lines).toMatch(/s\.yaml:9:\d+ TABLE_EXTENDS_UNKNOWN table t1 extends t9/);
    expect(lines).toMatch(/TABLE_EXTENDS_CYCLE table t\d: extends goes round in a circle/);
    expect(lines).toMatch(/s\.yaml:13:\d+ TABLE_COLUMN_UNKNOWN table t5: zz is not a column/);
    expect(lines).toMatch(/s\.yaml:14:\d+ TABLE_GROUP_NOT_CONSECUTIVE table t6/);
    expect(lines).toMatch(/s\.yaml:15:\d+ TABLE_NO_COLUMNS table t7 has no columns/);
    expect(lines).toMatch(/s\.yaml:16:\d+ TABLE_COLUMN_UNKNOWN table t8: q is not a column/);
  });
});
