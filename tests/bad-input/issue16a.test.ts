/**
 * Bad input of the linear-model extensions (issue 16): each a clear diagnostic at its line:column, the right exit
 * code, no stack trace and no output — or, for zero weights, a warning and a run that goes on.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const cases = join(fileURLToPath(new URL('.', import.meta.url)), 'cases');
const freshOut = () => join(mkdtempSync(join(tmpdir(), 'specrun-bad16-')), 'out');

const CASES = [
  {
    spec: 'iv-instrument-regressor.yaml',
    code: 'IV_INSTRUMENT_IS_REGRESSOR',
    exit: 2,
    at: 'iv-instrument-regressor.yaml:7:31',
  },
  { spec: 'iv-underidentified.yaml', code: 'IV_UNDERIDENTIFIED', exit: 2, at: 'iv-underidentified.yaml:7:27' },
  { spec: 'sunab-cohort-varies.yaml', code: 'SUNAB_COHORT_VARIES', exit: 1, at: 'sunab-cohort-varies.yaml:9:5' },
  { spec: 'weights-negative.yaml', code: 'WEIGHTS_NEGATIVE', exit: 1, at: 'weights-negative.yaml:9:5' },
];

describe('bad input of IV, sunab and weights', () => {
  it.each(CASES)('$spec → $code at $at (exit $exit)', async (c) => {
    const out = freshOut();
    const r = await runCli(['run', c.spec, '--out', out], cases);
    expect(r.code).toBe(c.exit);
    const line = r.stderr.split('\n').find((l) => l.includes(` ${c.code} `));
    expect(line, r.stderr).toBeDefined();
    expect(line!.startsWith(`${c.at} ${c.code} `), line).toBe(true);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('names the offending unit and both cohort values when a sunab cohort varies within a unit', async () => {
    const r = await runCli(['run', 'sunab-cohort-varies.yaml', '--out', freshOut()], cases);
    expect(r.stderr).toMatch(/not constant within unit 1 \(2002 and 2001\)/);
  });

  it('zero weights: the rows are removed and counted in a warning, and the run goes on', async () => {
    const out = freshOut();
    const r = await runCli(['run', 'weights-zero.yaml', '--out', out], cases);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^weights-zero\.yaml:9:5 WEIGHTS_ZERO_DROPPED 3 observation\(s\) with weight 0 in w removed .*\[warning\]$/m,
    );
    expect(readdirSync(out)).toContain('results.json');
  });
});
