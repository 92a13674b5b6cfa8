/**
 * Golden files for every layout, in Chinese and English, LaTeX and Markdown: a two-way FE table (Table 1 style),
 * system GMM columns with Sargan and AR(2) (Table 2), a longtable mixing both with group headers (Table 4, 续表),
 * the mediation steps (Table 5) and the rank-size grid with a region column (Table 3).
 * Refresh with `npm run golden:update` and review the diff.
 */
import { describe, expect, test } from 'vitest';
import { buildTableModel } from '../../engine/render/table-model.js';
import { renderLatex } from '../../engine/render/latex.js';
import { renderMarkdown } from '../../engine/render/markdown.js';
import { renderDocument } from '../../engine/render/document.js';
import type { TablePlan } from '../../engine/normalize/plan.js';
import type { TableSpec } from '../../engine/spec/types.js';
import * as f from './fixtures.js';
import { expectGolden } from './golden.js';

const results = { ...f.regressionResults, ...f.gmmResults, ...f.mediationResults, ...f.rankSizeResults };

const tables: [string, TableSpec, TablePlan['layout']][] = [
  ['table1', f.table1Spec, 'regression'],
  ['table2', f.table2Spec, 'regression'],
  ['table3', f.table3Spec, 'grid'],
  ['table4', f.table4Spec, 'regression'],
  ['table5', f.table5Spec, 'mediation'],
];

describe.each(['zh', 'en'])('golden tables (%s)', (lang) => {
  test.each(tables)('%s', (id, spec, layout) => {
    const model = buildTableModel(f.plan(id, spec, layout), results, {
      lang,
      provenance: f.provenance,
      dataNotes: f.dataNotes,
    });
    const latex = renderLatex(model);
    const markdown = renderMarkdown(model);
    expectGolden(`${id}.${lang}.tex`, latex);
    expectGolden(`${id}.${lang}.md`, markdown);
    // Rendering is deterministic: a second build gives the same bytes.
    const again = buildTableModel(f.plan(id, spec, layout), results, {
      lang,
      provenance: f.provenance,
      dataNotes: f.dataNotes,
    });
    expect(renderLatex(again)).toBe(latex);
    expect(renderMarkdown(again)).toBe(markdown);
  });

  test('document with every table', () => {
    const latex = tables.map(([id, spec, layout]) => ({
      id,
      latex: renderLatex(
        buildTableModel(f.plan(id, spec, layout), results, { lang, provenance: f.provenance, dataNotes: f.dataNotes }),
      ),
    }));
    expectGolden(
      `paper-tables.${lang}.tex`,
      renderDocument(latex, {
        lang,
        title: lang === 'zh' ? '论文表格' : 'Paper tables',
        provenance: ['specrun 0.1.0'],
      }),
    );
  });
});
