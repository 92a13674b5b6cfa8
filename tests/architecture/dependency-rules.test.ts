/**
 * The dependency rules of ARCHITECTURE.md (.dependency-cruiser.cjs; `npm run deps` checks the engine in `npm test`):
 * a small engine that breaks one rule fails with that rule's name — an upward import from core/,
 * a stage importing run/, a value import against the stage order, and a cycle.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string): { code: number; out: string } {
  const r = spawnSync(process.execPath, [cli, '--config', config, '--output-type', 'err', 'engine'], {
    cwd,
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** A throwaway engine: path → source. */
function engine(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-deps-'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  );
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const clean = {
  'engine/core/frame.ts': 'export const frame = 1;\n',
  'engine/normalize/normalize.ts': "import { frame } from '../core/frame.js';\nexport const plan = frame;\n",
  'engine/estimate/ols.ts': "import { plan } from '../normalize/normalize.js';\nexport const fit = plan;\n",
  'engine/run/pipeline.ts': "import { fit } from '../estimate/ols.js';\nexport const run = fit;\n",
  'engine/cli/main.ts': "import { run } from '../run/pipeline.js';\nexport const main = run;\n",
};

describe('dependency rules', () => {
  it('a clean toy engine passes (the rules are not vacuous failures)', () => {
    expect(cruise(engine(clean)).code).toBe(0);
  }, 60_000);

  it('fails on an upward import from core/', () => {
    const r = cruise(
      engine({
        ...clean,
        'engine/core/frame.ts': "import { plan } from '../normalize/normalize.js';\nexport const frame = plan;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/core-imports-only-core/);
  }, 60_000);

  it('fails on a stage importing run/', () => {
    const r = cruise(
      engine({
        ...clean,
        'engine/estimate/ols.ts': "import { run } from '../run/pipeline.js';\nexport const fit = run;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/stages-not-up-to-run-cli-diff/);
  }, 60_000);

  it('fails on a value import against the stage order', () => {
    const r = cruise(
      engine({
        ...clean,
        'engine/normalize/normalize.ts': "import { fit } from '../estimate/ols.js';\nexport const plan = fit;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/stage-order-normalize/);
  }, 60_000);

  it('fails on a cycle', () => {
    const r = cruise(
      engine({
        ...clean,
        'engine/data/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'engine/data/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/no-circular/);
  }, 60_000);
});
