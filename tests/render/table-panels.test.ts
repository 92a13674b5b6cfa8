// Panels stacked under one header (issue 15, layout): `panels: [{ label, columns }]`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const grunfeld = fileURLToPath(new URL('../../data/grunfeld.csv', import.meta.url));
const HEAD = `data: { source: ${JSON.stringify(grunfeld)}, unit: firm, time: year }
samples: { late: year > 1945 }
models:
  a: { formula: inv ~ value + capital | firm }
  b: { formula: inv ~ value + capital | firm + year }
  a_late: { formula: inv ~ value + capital | firm, sample: late }
  b_late: { formula: inv ~ value + capital | firm + year, sample: late }
`;

async function run(cmd: 'run' | 'validate', tables: string) {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-panels-'));
  writeFileSync(join(dir, 's.yaml'), `${HEAD}tables:\n${tables}`);
  const r = await runCli(
    cmd === 'run'
      ? ['run', 's.yaml', '--out', 'out', '--no-cache', '--quiet', '--format', 'md,tex,json']
      : ['validate', 's.yaml'],
    dir,
  );
  return { ...r, read: (f: string) => readFileSync(join(dir, 'out', f), 'utf8') };
}

describe('stacked panels', () => {
  it('one header, then each panel: a title row and its own coefficient and statistic rows', async () => {
    const r = await run(
      'run',
      `  t:
    columns: [a, b]
    stats: [nobs]
    panels:
      - { label: "Panel A: 1935–1954" }
      - { label: "Panel B: 1946–1954", columns: [a_late, b_late] }
`,
    );
    expect(r.code, r.stderr).toBe(0);
    const md = r.read('t.md');
    const lines = md.split('\n').filter((l) => l.startsWith('| '));
    const a = lines.findIndex((l) => l.includes('Panel A'));
    const b = lines.findIndex((l) => l.includes('Panel B'));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    // value and its SE, capital and its SE, the FE rows and N in each panel
    const nRows = lines.filter((l) => /^\| (N|Observations|观测值)/.test(l));
    expect(nRows).toHaveLength(2);
    expect(nRows[0]).toMatch(/\| 200 \| 200 \|/);
    expect(nRows[1]).toMatch(/\| 90 \| 90 \|/);
    expect(lines.filter((l) => l.startsWith('| value'))).toHaveLength(2);
    const res = JSON.parse(r.read('results.json'));
    expect(Object.keys(res.models).sort()).toEqual(['a', 'a_late', 'b', 'b_late']);
    const tex = r.read('t.tex');
    expect(tex).toMatch(/\\multicolumn\{3\}\{l\}\{Panel B: 1946–1954\}/);
  });

  it('a panel with another number of columns, or an unknown model, is an error at its line', async () => {
    const r = await run(
      'validate',
      `  t:
    columns: [a, b]
    panels:
      - { label: A }
      - { label: B, columns: [a_late] }
      - { label: C, columns: [a_late, b_lat] }
`,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.yaml:13:\d+ TABLE_PANEL_COLUMNS table t: panel 2 has 1 column\(s\), the table has 2/);
    expect(r.stderr).toMatch(/s\.yaml:14:\d+ UNKNOWN_MODEL .*b_lat/);
  });
});
