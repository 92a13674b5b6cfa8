/** Golden files for the Grunfeld example: the rendered LaTeX and Markdown and results.json, reviewed as diffs. */
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectGoldenJson } from '../helpers/golden.js';
import { expectGoldenOutput } from '../helpers/office.js';
import { runFiles } from '../helpers/pipeline.js';
import { formatNames } from '../../engine/render/formats/registry.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const goldenDir = join(root, 'tests', 'golden', 'examples');

describe('examples/grunfeld.yaml', () => {
  it('renders the same LaTeX, Markdown and results.json as the committed golden files', async () => {
    const r = await runFiles([join(root, 'specs', 'examples', 'grunfeld.yaml')], root, {
      outDir: 'out',
      formats: formatNames,
    });
    expect(r.errors).toEqual([]);
    const names = r.files.map((f) => basename(f.path)).sort();
    expect(names).toEqual([
      'grunfeld-tables.docx',
      'grunfeld-tables.html',
      'grunfeld-tables.tex',
      'grunfeld-tables.xlsx',
      'grunfeld.csv',
      'grunfeld.md',
      'grunfeld.tex',
      'results.json',
    ]);
    for (const f of r.files) {
      if (f.path.endsWith('.json')) expectGoldenJson(join(goldenDir, basename(f.path)), f.data as string);
      else await expectGoldenOutput(join(goldenDir, basename(f.path)), f.data);
    }
  });

  it('is deterministic: two runs give byte-identical outputs', async () => {
    const a = await runFiles([join(root, 'specs', 'examples', 'grunfeld.yaml')], root, { formats: formatNames });
    const b = await runFiles([join(root, 'specs', 'examples', 'grunfeld.yaml')], root, { formats: formatNames });
    expect(a.files.map((f) => f.data)).toEqual(b.files.map((f) => f.data));
  });
});

describe('examples/descriptive.yaml (descriptive statistics and correlation tables)', () => {
  it('renders every format as the committed golden files', async () => {
    const r = await runFiles([join(root, 'specs', 'examples', 'descriptive.yaml')], root, {
      outDir: 'out',
      formats: formatNames,
    });
    expect(r.errors).toEqual([]);
    const names = r.files.map((f) => basename(f.path)).sort();
    expect(names).toContain('summary.tex');
    expect(names).toContain('correlations.md');
    for (const f of r.files) {
      if (f.path.endsWith('.json'))
        expectGoldenJson(join(goldenDir, 'descriptive', basename(f.path)), f.data as string);
      else await expectGoldenOutput(join(goldenDir, 'descriptive', basename(f.path)), f.data);
    }
  });
});
