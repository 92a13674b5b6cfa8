import { describe, expect, test } from 'vitest';
import { fixed, integer, levelPercent, localize, percent, pValue, stars } from '../../engine/render/format.js';
import {
  latexCell,
  latexComment,
  latexEscape,
  latexLabel,
  latexNumber,
  markdownCell,
  markdownComment,
  markdownEscape,
  markdownRow,
} from '../../engine/render/escape.js';

describe('numbers', () => {
  test('fixed digits, rounding and the sign of zero', () => {
    expect(fixed(0.1186, 3)).toBe('0.119');
    expect(fixed(0.12, 3)).toBe('0.120');
    expect(fixed(-0.303, 3)).toBe('-0.303');
    expect(fixed(-0.0004, 3)).toBe('0.000');
    expect(fixed(-0.0005001, 3)).toBe('-0.001');
    expect(fixed(-0.4, 0)).toBe('0');
    expect(fixed(2.5, 0)).toBe('3');
    expect(fixed(1234.5678, 2)).toBe('1234.57');
  });
  test('NaN, null, undefined and infinities are blank', () => {
    for (const x of [NaN, null, undefined, Infinity, -Infinity]) {
      expect(fixed(x, 3)).toBe('');
      expect(integer(x)).toBe('');
      expect(stars(x)).toBe('');
      expect(pValue(x, 3)).toBe('');
      expect(percent(x)).toBe('');
    }
  });
  test('integers', () => {
    expect(integer(1560)).toBe('1560');
    expect(integer(1174.9999999)).toBe('1175');
  });
  test('stars at the default levels are strict inequalities', () => {
    expect(stars(0.2)).toBe('');
    expect(stars(0.1)).toBe('');
    expect(stars(0.0999)).toBe('*');
    expect(stars(0.05)).toBe('*');
    expect(stars(0.049)).toBe('**');
    expect(stars(0.01)).toBe('**');
    expect(stars(0.0099)).toBe('***');
    expect(stars(0)).toBe('***');
  });
  test('stars at configured levels, in any order', () => {
    expect(stars(0.03, [0.05, 0.01, 0.001])).toBe('*');
    expect(stars(0.0005, [0.001, 0.05, 0.01])).toBe('***');
    expect(stars(0.07, [0.05])).toBe('');
  });
  test('p-values, percentages and levels', () => {
    expect(pValue(0.0217, 3)).toBe('0.022');
    expect(pValue(0.0002, 3)).toBe('< 0.001');
    expect(percent(0.44419)).toBe('44.42%');
    expect(percent(-0.05)).toBe('-5.00%');
    expect(levelPercent(0.1)).toBe('10%');
    expect(levelPercent(0.05)).toBe('5%');
    expect(levelPercent(0.005)).toBe('0.5%');
  });
  test('localized text falls back zh, en, first', () => {
    expect(localize('div', 'en')).toBe('div');
    expect(localize({ zh: '分工', en: 'Division' }, 'en')).toBe('Division');
    expect(localize({ zh: '分工', en: 'Division' }, 'fr')).toBe('分工');
    expect(localize({ en: 'Division', de: 'Teilung' }, 'fr')).toBe('Division');
    expect(localize({ de: 'Teilung' }, 'zh')).toBe('Teilung');
    expect(localize(undefined, 'zh')).toBe('');
  });
});

describe('LaTeX escaping', () => {
  test('every special character, in one pass', () => {
    expect(latexEscape('R&D_share (%) $5 #1 {x} ~ ^ \\ < > |')).toBe(
      'R\\&D\\_share (\\%) \\$5 \\#1 \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\textless{} \\textgreater{} \\textbar{}',
    );
    expect(latexEscape('adj-R²')).toBe('adj-R\\textsuperscript{2}');
    expect(latexEscape('产业分工 div')).toBe('产业分工 div');
    expect(latexEscape('a\nb')).toBe('a b');
    expect(latexEscape('hgdp(t−1) c′ a×b ≤ ≥ ·')).toBe("hgdp(t$-$1) c$'$ a$\\times$b $\\leq$ $\\geq$ $\\cdot$");
    // a run of Unicode subscripts is one math subscript (pdflatex's fonts lack the glyphs)
    expect(latexEscape('hgdpₜ₋₁ and xᵢ_₂')).toBe('hgdp$_{t-1}$ and x$_{i}$\\_$_{2}$');
  });
  test('minus signs of numbers go to math mode; hyphens in words do not', () => {
    expect(latexNumber('-0.303')).toBe('$-$0.303');
    expect(latexNumber('(-1.50)')).toBe('($-$1.50)');
    expect(latexNumber('[-0.1, 0.2]')).toBe('[$-$0.1, 0.2]');
    expect(latexNumber('p < 0.001')).toBe('p \\textless{} 0.001');
    expect(latexEscape('non-central')).toBe('non-central');
  });
  test('cells: stars as a superscript, spans as \\multicolumn', () => {
    const cell = { text: '-0.127', stars: '***', span: 1, align: 'c' as const, numeric: true };
    expect(latexCell(cell)).toBe('$-$0.127$^{***}$');
    expect(latexCell({ ...cell, span: 3 })).toBe('\\multicolumn{3}{c}{$-$0.127$^{***}$}');
    expect(latexCell({ ...cell, numeric: false, text: '-x_1', stars: '' })).toBe('-x\\_1');
  });
  test('comments and labels', () => {
    expect(latexComment('a\nb')).toBe('% a b');
    expect(latexLabel('tab:table 1{x}')).toBe('tab:table-1-x-');
  });
});

describe('Markdown escaping', () => {
  test('pipes, stars and backslashes', () => {
    expect(markdownEscape('a|b *c* \\d')).toBe('a\\|b \\*c\\* \\\\d');
    expect(markdownEscape('line\nbreak')).toBe('line break');
  });
  test('cells and rows; a spanning cell is padded with empty cells', () => {
    const cell = { text: '0.083', stars: '**', span: 1, align: 'c' as const, numeric: true };
    expect(markdownCell(cell)).toBe('0.083\\*\\*');
    expect(
      markdownRow([
        { ...cell, text: 'ab', stars: '', numeric: false, align: 'l' },
        { ...cell, span: 3 },
      ]),
    ).toBe('| ab | 0.083\\*\\* | | |');
  });
  test('comments cannot be closed early', () => {
    expect(markdownComment('x --> y')).toBe('<!-- x - -> y -->');
  });
  test('text keeps its own spacing', () => {
    const cell = { text: 'a  b', stars: '', span: 1, align: 'l' as const, numeric: false };
    expect(markdownRow([cell, { ...cell, text: '' }])).toBe('| a  b | |');
  });
});
