// The built-in templates precompiled by the build (scripts/precompile-templates.mjs, issue 19) render exactly what
// compiling them at run time renders; a copy of a built-in template elsewhere (a table's own) is compiled.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultTemplatePath,
  loadTemplate,
  precompiledTemplatesPath,
  usePrecompiledTemplates,
} from '../../engine/render/templates.js';
import { runCli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'specrun-precompiled-'));
afterAll(() => {
  usePrecompiledTemplates(true);
  rmSync(work, { recursive: true, force: true });
});

async function paperOutputs(dir: string): Promise<Record<string, string>> {
  const r = await runCli(
    ['run', join(root, 'specs', 'paper'), '--out', join(work, dir), '--format', 'tex,md', '--quiet'],
    work,
  );
  expect(r.code).toBe(0);
  return Object.fromEntries(
    readdirSync(join(work, dir))
      .sort()
      .map((f) => [f, readFileSync(join(work, dir, f), 'utf8')]),
  );
}

describe('precompiled built-in templates', () => {
  it('are used for the built-in templates once the build has made them (npm test builds first)', () => {
    expect(existsSync(precompiledTemplatesPath())).toBe(true);
    usePrecompiledTemplates(true);
    expect(loadTemplate('latex').precompiled).toBe(true);
    expect(loadTemplate('markdown').precompiled).toBe(true);
    usePrecompiledTemplates(false);
    expect(loadTemplate('latex').precompiled).toBe(false);
  });

  it('render the paper byte for byte as templates compiled at run time', async () => {
    usePrecompiledTemplates(true);
    const pre = await paperOutputs('pre');
    usePrecompiledTemplates(false);
    const compiled = await paperOutputs('compiled');
    expect(Object.keys(pre).filter((f) => f.endsWith('.tex')).length).toBeGreaterThan(4);
    expect(pre).toEqual(compiled);
  });

  it('a copy of a built-in template at another path is compiled, and renders the same', () => {
    usePrecompiledTemplates(true);
    const copy = join(work, 'table.tex.hbs');
    copyFileSync(defaultTemplatePath('latex'), copy);
    const own = loadTemplate('latex', copy);
    expect(own.precompiled).toBe(false);
    const view = { rows: [], notes: [] };
    let a: string | Error;
    let b: string | Error;
    try {
      a = own.render(view);
    } catch (e) {
      a = e as Error;
    }
    try {
      b = loadTemplate('latex').render(view);
    } catch (e) {
      b = e as Error;
    }
    expect(a).toEqual(b);
  });
});
