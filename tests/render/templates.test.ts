import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderTable } from '../../engine/render/index.js';
import { renderLatex } from '../../engine/render/latex.js';
import { renderMarkdown } from '../../engine/render/markdown.js';
import { buildTableModel } from '../../engine/render/table-model.js';
import { defaultTemplatePath, loadTemplate, packageRoot, tableTemplate } from '../../engine/render/templates.js';
import * as f from './fixtures.js';

const results = { ...f.regressionResults, ...f.gmmResults };
const dir = mkdtempSync(join(tmpdir(), 'specrun-templates-'));

describe('built-in templates', () => {
  test('found from the package root, compiled once', () => {
    expect(defaultTemplatePath('latex')).toBe(join(packageRoot(), 'templates/latex/table.tex.hbs'));
    expect(loadTemplate('latex')).toBe(loadTemplate('latex'));
    expect(loadTemplate('markdown')).toBe(loadTemplate('markdown'));
  });

  test('LaTeX: booktabs, decimal-aligned columns, caption and label, full-width notes, provenance comments; no HTML escaping', () => {
    const spec = { ...f.table1Spec, title: 'R&D <share> "x" 1%', labels: { lndiv: 'div & co' } };
    const tex = renderLatex(buildTableModel(f.plan('t1', spec), results, { lang: 'zh', provenance: ['spec a&b'] }));
    expect(tex.startsWith('% spec a&b\n\\begin{table}[htbp]')).toBe(true);
    expect(tex).toContain('\\caption{R\\&D \\textless{}share\\textgreater{} "x" 1\\%}');
    expect(tex).toContain('\\label{tab:t1}');
    // dcolumn: decimal points aligned; the widest integer part is `-0` (a minus counts two digits), the widest
    // fractional part `303` plus two stars.
    expect(tex).toMatch(/\\begin\{tabular\}\{l(D\{\.\}\{\.\}\{\d\.\d\}){4}\}/);
    // In a D column the cell is math: the minus is a minus, the stars a superscript after the digits.
    expect(tex).toContain('div \\& co & 0.119^{*} & 0.194^{**} & 0.102^{***} & -0.303^{**} \\\\');
    // Text in a D column is centred outside the alignment.
    expect(tex).toMatch(/\\multicolumn\{1\}\{c\}\{YES\}/);
    expect(tex).toContain('\\begin{adjustbox}{max width=\\linewidth}');
    expect(tex).toContain('\\begin{minipage}{\\linewidth}');
    for (const cmd of ['\\toprule', '\\midrule', '\\bottomrule']) expect(tex).toContain(cmd);
    expect(tex).not.toMatch(/&amp;|&lt;|&quot;|&#x/);
  });

  test('LaTeX longtable: the header repeats after \\endfirsthead with a continued line', () => {
    const tex = renderLatex(buildTableModel(f.plan('t4', f.table4Spec), results, { lang: 'zh' }));
    expect(tex).toMatch(/\\begin\{longtable\}\{l(D\{\.\}\{\.\}\{\d\.\d\}){5}\}/);
    // fit: width — a longtable cannot be shrunk; it is set smaller with narrower column gaps.
    expect(tex.startsWith('{\\small\\setlength{\\tabcolsep}{3pt}')).toBe(true);
    expect(tex).toContain('\\multicolumn{6}{r}{\\tablename~\\thetable{} 续表}\\\\');
    expect(tex.indexOf('\\endfirsthead')).toBeLessThan(tex.indexOf('\\endhead'));
    expect(tex.split('\\cmidrule(lr){3-6}').length - 1).toBe(2);
    expect(tex).toContain('\\endlastfoot');
    expect(tex).not.toContain('threeparttable');
    const en = renderLatex(buildTableModel(f.plan('t4', f.table4Spec), results, { lang: 'en' }));
    expect(en).toContain('{\\tablename~\\thetable{} (continued)}');
  });

  test('Markdown: provenance comment, title above, escaped cells, notes below', () => {
    const spec = { ...f.table1Spec, title: 'A | B', labels: { lndiv: 'd*v' } };
    const md = renderMarkdown(
      buildTableModel(f.plan('t1', spec), results, { lang: 'en', provenance: ['engine -- x'] }),
    );
    const lines = md.split('\n');
    expect(lines[0]).toBe('<!-- engine - - x -->');
    expect(lines).toContain('**A \\| B**');
    expect(lines).toContain('| Variable | All<br>(1) | Central<br>(2) | Non-central<br>(3) | Gap<br>(4) |');
    expect(lines).toContain('|:--|:-:|:-:|:-:|:-:|');
    expect(lines).toContain('| d\\*v | 0.119\\* | 0.194\\*\\* | 0.102\\*\\*\\* | -0.303\\*\\* |');
    expect(lines.at(-2)).toBe('\\* p < 0.1, \\*\\* p < 0.05, \\*\\*\\* p < 0.01.');
    // Group headers fold into the one header row.
    const grouped = renderMarkdown(buildTableModel(f.plan('t4', f.table4Spec), results, { lang: 'en' }));
    expect(grouped).toContain(
      '| Variable | Central<br>(1) | Non-central<br>Overall<br>(2) | Non-central<br>Gap<br>(3) |',
    );
  });
});

describe("a table's own template", () => {
  test('resolved from the spec folder, with the same helpers; cached until the file changes', () => {
    mkdirSync(join(dir, 'tpl'), { recursive: true });
    writeFileSync(join(dir, 'tpl/mine.tex.hbs'), '% mine\n{{tex title}}|{{#each body}}{{texRow cells}};{{/each}}\n');
    writeFileSync(join(dir, 'tpl/mine.md.hbs'), '{{md title}}: {{#each body}}{{mdRow cells}}{{/each}}\n');
    const spec = {
      columns: ['fe_all'],
      keep: ['lndiv'],
      stats: [],
      fixed_effects: {},
      title: 'T_1',
      template: { latex: 'tpl/mine.tex.hbs', markdown: 'tpl/mine.md.hbs' },
    };
    const table = f.plan('own', spec, 'regression', dir);
    expect(tableTemplate(table, 'latex').file).toBe(join(dir, 'tpl/mine.tex.hbs'));
    const out = renderTable(table, results, { lang: 'zh' });
    expect(out.latex).toBe('% mine\nT\\_1|lndiv & 0.119$^{*}$; & (0.067);\n');
    expect(out.markdown).toBe('T_1: | lndiv | 0.119\\* || | (0.067) |\n');
    expect(tableTemplate(table, 'latex')).toBe(tableTemplate(table, 'latex'));
  });

  test('a missing template is UNKNOWN_TEMPLATE', () => {
    const table = f.plan('own', { columns: ['fe_all'], template: { latex: 'nope.tex.hbs' } }, 'regression', dir);
    expect(() => tableTemplate(table, 'latex')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TEMPLATE' }));
    expect(() => loadTemplate('markdown', dir)).toThrow(expect.objectContaining({ code: 'UNKNOWN_TEMPLATE' }));
    // The other format still uses the built-in template.
    expect(tableTemplate(table, 'markdown').file).toBe(defaultTemplatePath('markdown'));
  });

  test('a template that does not parse, or fails while rendering, is TEMPLATE_ERROR', () => {
    writeFileSync(join(dir, 'bad.tex.hbs'), '{{#each body}}{{texRow cells}}\n');
    expect(() => loadTemplate('latex', join(dir, 'bad.tex.hbs'))).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_ERROR' }),
    );
    writeFileSync(join(dir, 'helper.tex.hbs'), '{{nosuchhelper title}}\n');
    const model = buildTableModel(f.plan('t1', f.table1Spec), results, { lang: 'zh' });
    const template = loadTemplate('latex', join(dir, 'helper.tex.hbs'));
    expect(() => renderLatex(model, template)).toThrow(expect.objectContaining({ code: 'TEMPLATE_ERROR' }));
    // Markdown helpers are not LaTeX helpers: a LaTeX template using `md` fails clearly.
    writeFileSync(join(dir, 'mixed.tex.hbs'), '{{md title}}\n');
    expect(() => renderLatex(model, loadTemplate('latex', join(dir, 'mixed.tex.hbs')))).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_ERROR' }),
    );
  });
});
