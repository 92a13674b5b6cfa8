/**
 * The bad-input catalogue: each broken spec or data file must give its diagnostic code at the right line:column,
 * the right exit code, no stack trace, and no output file at all.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const cases = join(fileURLToPath(new URL('.', import.meta.url)), 'cases');

interface Case {
  spec: string;
  code: string;
  exit: number;
  /** file:line:col of the diagnostic (file relative to the cases folder). */
  at: string;
}

const CATALOGUE: Case[] = [
  // Table entries that match nothing (issue 15): each an error at the entry, in validate and in run.
  { spec: 'table-keep-typo.yaml', code: 'TABLE_KEEP_UNMATCHED', exit: 2, at: 'table-keep-typo.yaml:13:15' },
  { spec: 'table-drop-typo.yaml', code: 'TABLE_DROP_UNMATCHED', exit: 2, at: 'table-drop-typo.yaml:13:12' },
  { spec: 'table-stat-typo.yaml', code: 'TABLE_STAT_UNMATCHED', exit: 2, at: 'table-stat-typo.yaml:13:19' },
  {
    spec: 'table-indicator-typo.yaml',
    code: 'TABLE_INDICATOR_UNMATCHED',
    exit: 2,
    at: 'table-indicator-typo.yaml:14:39',
  },
  { spec: 'table-row-values.yaml', code: 'TABLE_ROW_VALUES', exit: 2, at: 'table-row-values.yaml:14:34' },
  { spec: 'yaml-syntax.yaml', code: 'YAML_SYNTAX', exit: 2, at: 'yaml-syntax.yaml:5:1' },
  { spec: 'duplicate-key.yaml', code: 'YAML_DUPLICATE_KEY', exit: 2, at: 'duplicate-key.yaml:6:3' },
  { spec: 'unknown-key.yaml', code: 'SCHEMA_UNKNOWN_KEY', exit: 2, at: 'unknown-key.yaml:7:5' },
  { spec: 'wrong-type.yaml', code: 'SCHEMA_TYPE', exit: 2, at: 'wrong-type.yaml:5:14' },
  { spec: 'bad-enum.yaml', code: 'SCHEMA_ENUM', exit: 2, at: 'bad-enum.yaml:9:15' },
  { spec: 'unknown-estimator.yaml', code: 'UNKNOWN_ESTIMATOR', exit: 2, at: 'unknown-estimator.yaml:5:16' },
  { spec: 'bad-vcov.yaml', code: 'SCHEMA_ENUM', exit: 2, at: 'bad-vcov.yaml:6:11' },
  { spec: 'unknown-variable.yaml', code: 'UNKNOWN_VARIABLE', exit: 2, at: 'unknown-variable.yaml:7:22' },
  { spec: 'unknown-sample.yaml', code: 'UNKNOWN_SAMPLE', exit: 2, at: 'unknown-sample.yaml:8:13' },
  { spec: 'unknown-model.yaml', code: 'UNKNOWN_MODEL', exit: 2, at: 'unknown-model.yaml:8:18' },
  { spec: 'cycle.yaml', code: 'VARIABLE_CYCLE', exit: 2, at: 'cycle.yaml:4:6' },
  { spec: 'expr-syntax.yaml', code: 'EXPR_SYNTAX', exit: 2, at: 'expr-syntax.yaml:4:17' },
  { spec: 'formula-syntax.yaml', code: 'FORMULA_SYNTAX', exit: 2, at: 'formula-syntax.yaml:5:20' },
  { spec: 'unknown-function.yaml', code: 'EXPR_UNKNOWN_FUNCTION', exit: 2, at: 'unknown-function.yaml:4:6' },
  { spec: 'extends-a.yaml', code: 'EXTENDS_CYCLE', exit: 2, at: 'extends-b.yaml:3:10' },
  { spec: 'unknown-template.yaml', code: 'UNKNOWN_TEMPLATE', exit: 2, at: 'unknown-template.yaml:10:14' },
  { spec: 'text-regressor.yaml', code: 'TEXT_REGRESSOR', exit: 2, at: 'text-regressor.yaml:7:14' },
  { spec: 'unquoted-value.yaml', code: 'UNKNOWN_VARIABLE', exit: 2, at: 'unquoted-value.yaml:6:21' },
  { spec: 'missing-data.yaml', code: 'DATA_NOT_FOUND', exit: 1, at: 'missing-data.yaml:2:11' },
  { spec: 'non-numeric.yaml', code: 'DATA_NON_NUMERIC', exit: 1, at: 'non-numeric.yaml:6:7' },
  { spec: 'duplicate-unit-time.yaml', code: 'DATA_DUPLICATE_UNIT_TIME', exit: 1, at: 'duplicate-unit-time.yaml:3:9' },
  { spec: 'empty-sample.yaml', code: 'EMPTY_SAMPLE', exit: 1, at: 'empty-sample.yaml:4:9' },
  { spec: 'all-collinear.yaml', code: 'ALL_COLLINEAR', exit: 1, at: 'all-collinear.yaml:9:5' },
  // Issue 13: one case per defect of "no silent wrong result".
  { spec: 'unsafe-table-id.yaml', code: 'UNSAFE_NAME', exit: 2, at: 'unsafe-table-id.yaml:9:3' },
  { spec: 'rename-collision.yaml', code: 'DATA_RENAME_COLLISION', exit: 2, at: 'rename-collision.yaml:5:13' },
  { spec: 'dependent-on-right.yaml', code: 'DEPENDENT_ON_RIGHT', exit: 2, at: 'dependent-on-right.yaml:7:18' },
  { spec: 'negative-digits.yaml', code: 'SCHEMA_RANGE', exit: 2, at: 'negative-digits.yaml:11:13' },
  { spec: 'bad-stars.yaml', code: 'SCHEMA_RANGE', exit: 2, at: 'bad-stars.yaml:11:13' },
  { spec: 'group-span.yaml', code: 'TABLE_GROUP_SPAN', exit: 2, at: 'group-span.yaml:11:34' },
  { spec: 'one-cluster.yaml', code: 'VCOV_ONE_CLUSTER', exit: 1, at: 'one-cluster.yaml:9:11' },
  { spec: 'n-equals-k.yaml', code: 'NO_RESIDUAL_DF', exit: 1, at: 'n-equals-k.yaml:7:5' },
  { spec: 'bad-reps.yaml', code: 'SCHEMA_TYPE', exit: 2, at: 'bad-reps.yaml:9:24' },
  { spec: 'huge-reps.yaml', code: 'SCHEMA_RANGE', exit: 2, at: 'huge-reps.yaml:9:24' },
  { spec: 'overflow-cell.yaml', code: 'TEXT_REGRESSOR', exit: 2, at: 'overflow-cell.yaml:7:14' },
  { spec: 'negative-lag.yaml', code: 'LAG_NEGATIVE', exit: 2, at: 'negative-lag.yaml:6:11' },
  { spec: 'alias-bomb.yaml', code: 'YAML_ALIAS_LIMIT', exit: 2, at: 'alias-bomb.yaml:1:1' },
  { spec: 'extends-conflict.yaml', code: 'EXTENDS_CONFLICT', exit: 2, at: 'extends-conflict.yaml:1:10' },
  { spec: 'device-data.yaml', code: 'DATA_NOT_FOUND', exit: 1, at: 'device-data.yaml:2:11' },
  { spec: 'device-extends.yaml', code: 'EXTENDS_NOT_FOUND', exit: 2, at: 'device-extends.yaml:1:10' },
  { spec: 'table-id-document.yaml', code: 'OUTPUT_NAME_CONFLICT', exit: 2, at: 'table-id-document.yaml:9:3' },
  // Issue 16 (GLMs, Tobit, panel thresholds): bad outcomes, weights and threshold variables.
  { spec: 'poisson-negative.yaml', code: 'GLM_OUTCOME_RANGE', exit: 1, at: 'poisson-negative.yaml:9:5' },
  { spec: 'weights-nonpositive.yaml', code: 'WEIGHTS_NOT_POSITIVE', exit: 1, at: 'weights-nonpositive.yaml:9:5' },
  { spec: 'threshold-few-values.yaml', code: 'THRESHOLD_TOO_FEW_VALUES', exit: 1, at: 'threshold-few-values.yaml:9:5' },
  { spec: 'tobit-no-censoring.yaml', code: 'TOBIT_NO_CENSORING', exit: 2, at: 'tobit-no-censoring.yaml:5:5' },
];

function freshOut(): string {
  return join(mkdtempSync(join(tmpdir(), 'specrun-bad-')), 'out');
}

describe('bad-input catalogue', () => {
  it.each(CATALOGUE)('$spec → $code at $at (exit $exit)', async (c) => {
    const out = freshOut();
    const r = await runCli(['run', c.spec, '--out', out], cases);
    expect(r.code).toBe(c.exit);
    const line = r.stderr.split('\n').find((l) => l.includes(` ${c.code} `));
    expect(line, r.stderr).toBeDefined();
    expect(line!.startsWith(`${c.at} ${c.code} `), line).toBe(true);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it.each([
    ['table-keep-typo.yaml', 'TABLE_KEEP_UNMATCHED', '13:15'],
    ['table-drop-typo.yaml', 'TABLE_DROP_UNMATCHED', '13:12'],
    ['table-indicator-typo.yaml', 'TABLE_INDICATOR_UNMATCHED', '14:39'],
    ['table-row-values.yaml', 'TABLE_ROW_VALUES', '14:34'],
  ])('validate reports %s as %s at its entry', async (spec, code, at) => {
    const r = await runCli(['validate', spec], cases);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${spec.replace('.', '\\.')}:${at} ${code} `, 'm'));
  });

  it.each([
    ['table-label-unused.yaml', 'TABLE_LABEL_UNMATCHED', '13:21'],
    ['table-groups-short.yaml', 'TABLE_GROUPS_SHORT', '13:13'],
  ])(
    '%s: %s is a warning at its entry (a spec that means it declares it in expect_warnings)',
    async (spec, code, at) => {
      const out = freshOut();
      const r = await runCli(['run', spec, '--out', out], cases);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^${spec.replace('.', '\\.')}:${at} ${code} .*\\[warning\\]$`, 'm'));
    },
  );

  it('log of a non-positive value is a warning at the variable, and the run goes on', async () => {
    const out = freshOut();
    const r = await runCli(['run', 'log-nonpositive.yaml', '--out', out], cases);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^log-nonpositive\.yaml:4:7 DATA_LOG_NONPOSITIVE .*\[warning\]$/m);
    expect(readdirSync(out)).toContain('results.json');
  });

  it('an undeclared unit change in a raw series is a warning at data.source', async () => {
    const out = freshOut();
    const r = await runCli(['run', 'undeclared-unit-change.yaml', '--out', out], cases);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^undeclared-unit-change\.yaml:3:11 DATA_UNIT_BREAK .*fdi.*\[warning\]$/m);
    // The hint spells the fix out with every placeholder filled (issue 14: it printed `{name}`, `{where}`, `{factor}`).
    expect(r.stderr).toMatch(
      /hint: if the unit changed, declare it: data\.fixes: \[\{ column: fdi, where: "year == 2013", multiply: 0\.0001, reason: \.\.\. \}\]/,
    );
    expect(r.stderr).not.toMatch(/\{(name|where|factor)\}/);
  });

  it('a jump no power of ten explains is DATA_SERIES_JUMP, with no multiply: advice (issue 13, defect 10)', async () => {
    const r = await runCli(['run', 'series-jump.yaml', '--out', freshOut()], cases);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^series-jump\.yaml:2:11 DATA_SERIES_JUMP x: .*\[warning\]$/m);
    expect(r.stderr).not.toMatch(/multiply/);
  });

  it('an output folder that cannot be created fails cleanly with nothing written', async () => {
    const r = await runCli(['run', 'ok.yaml', '--out', join('data.csv', 'out')], cases);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/OUTPUT_NOT_WRITABLE/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate lists every problem of a spec, not only the first', async () => {
    const r = await runCli(['validate', 'unknown-key.yaml', 'bad-vcov.yaml', 'cycle.yaml'], cases);
    expect(r.code).toBe(2);
    expect(r.stderr.match(/^\S+:\d+:\d+ [A-Z_]+ /gm)!.length).toBeGreaterThanOrEqual(3);
  });

  it('hints that a bare word in an expression may be a text value wanting quotes', async () => {
    const r = await runCli(['validate', 'unquoted-value.yaml'], cases);
    expect(r.stderr).toMatch(/hint: if b is a value, not a column, quote it: 'b'/);
  });

  it('validate reads the data header and reports unknown variables at the character that names them', async () => {
    const r = await runCli(['validate', 'unknown-variable.yaml'], cases);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^unknown-variable\.yaml:7:22 UNKNOWN_VARIABLE unknown variable wage/m);
    const ok = await runCli(['validate', 'ok.yaml'], cases);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/1 spec\(s\) valid/);
  });

  it('a --lang that no text of the spec has is a warning naming the languages it has', async () => {
    const root = join(cases, '..', '..', '..');
    const r = await runCli(['run', 'specs/paper/table3.yaml', '--lang', 'fr', '--out', freshOut()], root);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/LANG_NOT_AVAILABLE no text of this spec is given in language fr \(it has en, zh\)/);
    const ok = await runCli(['run', 'specs/paper/table3.yaml', '--lang', 'en', '--out', freshOut()], root);
    expect(ok.stderr).not.toMatch(/LANG_NOT_AVAILABLE/);
  });

  it('usage errors exit 2 with a one-line cause', async () => {
    expect((await runCli(['frobnicate'], cases)).code).toBe(2);
    expect((await runCli(['run'], cases)).code).toBe(2);
    expect((await runCli(['run', 'ok.yaml', '--format', 'pdf'], cases)).code).toBe(2);
    expect((await runCli(['run', 'ok.yaml', '--bogus'], cases)).stderr).toMatch(/unknown option --bogus/);
  });
});
