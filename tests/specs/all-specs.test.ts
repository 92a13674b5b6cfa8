/**
 * Every spec under specs/ validates and runs, and raises no warning other than those it declares in
 * `expect_warnings`. The paper's tables are golden files (zh and en), reviewed as diffs (`npm run golden:update`).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../../engine/run/pipeline.js';
import { createRunContext } from '../../engine/run/context.js';
import { expectGoldenJson } from '../helpers/golden.js';
import { expectGoldenOutput } from '../helpers/office.js';
import { runFiles } from '../helpers/pipeline.js';
import { formatNames } from '../../engine/render/formats/registry.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(f)) out.push(p);
  }
  return out;
}

const specs = yamlFiles(join(root, 'specs'));

describe('every spec under specs/', () => {
  it('finds the example and the paper', () => {
    const names = specs.map((f) => relative(root, f));
    expect(names).toContain('specs/examples/grunfeld.yaml');
    for (const t of ['base', 'table1', 'table2', 'table3', 'table4', 'table5'])
      expect(names).toContain(`specs/paper/${t}.yaml`);
  });

  it.each(specs.map((f) => [relative(root, f), f]))(
    '%s validates and runs without undeclared warnings',
    async (_name, file) => {
      const checked = await check(file, root, createRunContext());
      expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const expected = new Set(checked.spec!.plan.expectWarnings);
      const r = await runFiles([file], root);
      expect(r.errors).toEqual([]);
      const unexpected = r.warnings.filter((w) => !expected.has(w.code));
      expect(unexpected.map((w) => `${w.file}:${w.line}:${w.col} ${w.code} ${w.message}`)).toEqual([]);
    },
  );
});

describe('the paper (specs/paper)', () => {
  const tables = specs.filter((f) => f.includes(`${join('specs', 'paper')}/`) && !f.endsWith('base.yaml'));
  it.each(['zh', 'en'])('renders Tables 1–5 as the committed golden files (%s)', async (lang) => {
    const r = await runFiles(tables, root, { lang, docName: 'paper', formats: formatNames });
    expect(r.errors).toEqual([]);
    const names = r.files.map((f) => basename(f.path)).sort();
    for (const t of ['table1', 'table2', 'table3', 'table4', 'table5']) {
      expect(names).toContain(`${t}.tex`);
      expect(names).toContain(`${t}.md`);
    }
    expect(names).toContain('paper-tables.tex');
    for (const f of r.files) {
      if (f.path.endsWith('results.json') && lang === 'en') continue; // the numbers do not depend on the language
      const golden = join(root, 'tests', 'golden', 'paper', lang, basename(f.path));
      if (f.path.endsWith('.json')) expectGoldenJson(golden, f.data as string);
      else await expectGoldenOutput(golden, f.data);
    }
    // Every table built from the synthetic data says so in its notes.
    for (const f of r.files.filter((x) => /table\d\.(md|tex)$/.test(x.path))) {
      expect(f.data as string, f.path).toMatch(lang === 'zh' ? /合成数据/ : /SYNTHETIC/);
    }
  });
});
