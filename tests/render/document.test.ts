/**
 * The standalone document: its structure always, and — when a TeX engine is installed — that it really compiles:
 * ctexart with xelatex for Chinese, article with pdflatex for English. Every table layout is included, plus a table
 * whose labels use every LaTeX special character. CI installs TeX Live (.ci/run), so there the compile always runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { latexEngineFor, renderDocument } from '../../engine/render/document.js';
import { renderLatex } from '../../engine/render/latex.js';
import { buildTableModel } from '../../engine/render/table-model.js';
import type { TableSpec } from '../../engine/spec/types.js';
import * as f from './fixtures.js';

const results = { ...f.regressionResults, ...f.gmmResults, ...f.mediationResults, ...f.rankSizeResults };

const nasty: TableSpec = {
  title: 'Specials: R&D_share (100%) $ #1 {a} ~ ^ \\ < > | adj-R²',
  columns: [
    { model: 'fe_all', label: 'A&B' },
    { model: 'gmm_region', label: '50% | x_1' },
  ],
  labels: { lndiv: 'div_{it} & ~co^2 \\ # t−1 c′ a×b ≤ ≥ ·', '(Intercept)': '<cons>' },
  groups: [{ label: 'G_1 & G_2', span: 2 }],
  notes: ['Note with $ and % and _ and { } and \\ and # and ~ and ^ and | and < >.'],
};

function documentFor(lang: string): string {
  const specs: [string, TableSpec, 'regression' | 'mediation' | 'grid'][] = [
    ['table1', f.table1Spec, 'regression'],
    ['table2', f.table2Spec, 'regression'],
    ['table3', f.table3Spec, 'grid'],
    ['table4', f.table4Spec, 'regression'],
    ['table5', f.table5Spec, 'mediation'],
    ['specials', nasty, 'regression'],
  ];
  const tables = specs.map(([id, spec, layout]) => ({
    id,
    latex: renderLatex(
      buildTableModel(f.plan(id, spec, layout), results, { lang, provenance: f.provenance, dataNotes: f.dataNotes }),
    ),
  }));
  return renderDocument(tables, {
    lang,
    title: lang === 'zh' ? '论文表格 & 附录' : 'Paper tables & appendix',
    provenance: ['specrun test'],
  });
}

function installed(cmd: string): boolean {
  return spawnSync('which', [cmd], { encoding: 'utf8' }).status === 0;
}

describe.each([
  ['zh', 'xelatex', '\\documentclass[UTF8,a4paper]{ctexart}'],
  ['en', 'pdflatex', '\\documentclass[a4paper]{article}'],
])('document (%s)', (lang, engine, documentclass) => {
  const doc = documentFor(lang);

  test('structure: class, packages, every table inline, balanced environments', () => {
    expect(latexEngineFor(lang)).toBe(engine);
    expect(doc.startsWith('% specrun test\n')).toBe(true);
    expect(doc).toContain(documentclass);
    for (const p of ['geometry', 'booktabs', 'longtable', 'caption', 'dcolumn', 'adjustbox'])
      expect(doc).toMatch(new RegExp(`\\\\usepackage(\\[[^\\]]*\\])?\\{${p}\\}`));
    for (const id of ['table1', 'table2', 'table3', 'table4', 'table5', 'specials'])
      expect(doc).toContain(`% ---- ${id} ----`);
    for (const env of ['document', 'table', 'tabular', 'minipage', 'adjustbox', 'longtable']) {
      const opens = doc.split(`\\begin{${env}}`).length - 1;
      expect(doc.split(`\\end{${env}}`).length - 1, env).toBe(opens);
    }
    expect(doc.split('\\begin{longtable}').length - 1).toBe(1);
    expect(doc.trimEnd().endsWith('\\end{document}')).toBe(true);
  });

  test(`compiles with ${engine} when it is installed (structure only otherwise)`, () => {
    if (!installed(engine)) {
      // No TeX here: at least every brace the escaping produced must balance, outside comments.
      const body = doc
        .split('\n')
        .filter((l) => !l.startsWith('%'))
        .join('\n')
        .replace(/\\[{}]/g, '');
      expect(body.split('{').length).toBe(body.split('}').length);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), `specrun-tex-${lang}-`));
    writeFileSync(join(dir, 'paper-tables.tex'), doc);
    const run = spawnSync(engine, ['-interaction=nonstopmode', '-halt-on-error', 'paper-tables.tex'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 50_000,
    });
    const log = existsSync(join(dir, 'paper-tables.log'))
      ? readFileSync(join(dir, 'paper-tables.log'), 'utf8')
      : run.stdout;
    const errors = log.split('\n').filter((l) => l.startsWith('!'));
    expect(errors, log.slice(-2000)).toEqual([]);
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, 'paper-tables.pdf'))).toBe(true);
    // Escaped specials reach the page as text, not as commands: no undefined control sequences, no missing $.
    expect(log).not.toMatch(/Undefined control sequence|Missing \$ inserted|Missing character/);
  });
});
