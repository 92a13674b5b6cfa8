import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('specrun data', () => {
  it('writes the paper base dataset: 1,560 city-years with every variable the tables use and one column per sample', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'specrun-data-')), 'derived.csv');
    const r = await runCli(['data', 'specs/paper/base.yaml', '--out', out], root);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(1 + 1560);
    const header = lines[0]!.split(',');
    for (const v of [
      'hgdp',
      'lnhgdp',
      'div',
      'lndiv',
      'lnfdi',
      'lngov',
      'lninv',
      'lnedu',
      'disparity',
      'core',
      'region',
      'capital',
      'gdp_real',
      'lntrans',
      'sample_centres',
      'sample_noncentral',
    ]) {
      expect(header).toContain(v);
    }
    // The declared unit alias made one panel unit of 襄樊/襄阳.
    expect(lines.filter((l) => l.startsWith('襄阳市,')).length).toBe(10);
    expect(lines.some((l) => l.startsWith('襄樊市,'))).toBe(false);
  });

  it('needs --out', async () => {
    const r = await runCli(['data', 'specs/paper/base.yaml'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CLI_USAGE/);
  });
});
