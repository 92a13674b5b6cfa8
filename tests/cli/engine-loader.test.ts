// bin/engine-loader.mjs (issue 19, start-up): the bundle is used only when it is current, the code cache only when it
// was made from exactly the bundle's text, and the bundled CLI prints and writes what the unbundled one does.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'specrun-loader-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of bin/ beside a toy dist/: main() of each says where it came from. */
function toyPackage(name: string): string {
  const dir = join(work, name);
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'bundle'), { recursive: true });
  writeFileSync(
    join(dir, 'dist', 'cli', 'main.js'),
    "export async function main(argv, io) { io.stdout.write('from dist\\n'); return 0; }\n",
  );
  writeFileSync(
    join(dir, 'dist', 'bundle', 'specrun.cjs'),
    "exports.main = async (argv, io) => { io.stdout.write('from bundle ' + typeof require + '\\n'); return 0; };\n",
  );
  return dir;
}

function runBin(dir: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'specrun.mjs'), 'validate'], {
    encoding: 'utf8',
    env: { ...process.env, SPECRUN_NO_BUNDLE: '', ...env },
  });
  expect(r.stderr).toBe('');
  return r.stdout;
}

interface Loader {
  loadBundle(o?: { useCache?: boolean }): {
    engine: { main: unknown };
    script: { cachedDataRejected?: boolean; createCachedData(): Buffer };
    key: string;
  };
  CODE_CACHE: string;
}

describe('engine loader', () => {
  it('uses the bundle when it is at least as new as dist/cli/main.js, else dist/ (a later tsc alone)', () => {
    const dir = toyPackage('fresh');
    const t = Date.now() / 1000;
    utimesSync(join(dir, 'dist', 'cli', 'main.js'), t - 10, t - 10);
    expect(runBin(dir)).toBe('from bundle function\n');
    expect(runBin(dir, { SPECRUN_NO_BUNDLE: '1' })).toBe('from dist\n');
    utimesSync(join(dir, 'dist', 'bundle', 'specrun.cjs'), t - 20, t - 20);
    expect(runBin(dir)).toBe('from dist\n');
    rmSync(join(dir, 'dist', 'bundle'), { recursive: true });
    expect(runBin(dir)).toBe('from dist\n');
  });

  it('uses a code cache only when its key is the SHA-256 of the compiled text', async () => {
    const dir = toyPackage('cache');
    const loader = (await import(pathToFileURL(join(dir, 'bin', 'engine-loader.mjs')).href)) as Loader;
    const first = loader.loadBundle({ useCache: false });
    // No cache given to V8: nothing to reject.
    expect(first.script.cachedDataRejected).toBeUndefined();
    const data = first.script.createCachedData();
    writeFileSync(loader.CODE_CACHE, Buffer.concat([Buffer.from(`${first.key}\n`), data]));
    expect(loader.loadBundle().script.cachedDataRejected).toBe(false);
    // Same length, other text (V8 alone would check only the length): the cache is not handed over.
    const bundle = join(dir, 'dist', 'bundle', 'specrun.cjs');
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('from bundle', 'from BUNDLE'));
    const other = loader.loadBundle();
    expect(other.key).not.toBe(first.key);
    expect(other.script.cachedDataRejected).toBeUndefined();
    // A damaged file (no key line) is ignored too.
    writeFileSync(loader.CODE_CACHE, data);
    expect(loader.loadBundle().script.cachedDataRejected).toBeUndefined();
  });

  it("takes a built bundle's key from its first line (the hash the build recorded)", async () => {
    const dir = toyPackage('token');
    const loader = (await import(pathToFileURL(join(dir, 'bin', 'engine-loader.mjs')).href)) as Loader & {
      TOKEN: string;
    };
    const bundle = join(dir, 'dist', 'bundle', 'specrun.cjs');
    const body = readFileSync(bundle, 'utf8');
    writeFileSync(bundle, `${loader.TOKEN}${'a'.repeat(64)}\n${body}`);
    const first = loader.loadBundle({ useCache: false });
    expect(first.key).toBe('a'.repeat(64));
    writeFileSync(loader.CODE_CACHE, Buffer.concat([Buffer.from(`${first.key}\n`), first.script.createCachedData()]));
    expect(loader.loadBundle().script.cachedDataRejected).toBe(false);
    // Rebuilt: another recorded hash, so the old code cache is not handed over.
    writeFileSync(bundle, `${loader.TOKEN}${'b'.repeat(64)}\n${body}`);
    expect(loader.loadBundle().script.cachedDataRejected).toBeUndefined();
  });

  it('the built bundle gives the same output files and messages as dist/cli/main.js', () => {
    expect(existsSync(join(root, 'dist', 'bundle', 'specrun.cjs'))).toBe(true);
    const bin = join(root, 'bin', 'specrun.mjs');
    const spec = join(root, 'specs', 'examples', 'grunfeld.yaml');
    const outputs = (noBundle: string) => {
      const cwd = join(work, `grunfeld-${noBundle || 'bundle'}`);
      mkdirSync(cwd);
      const env = { ...process.env, SPECRUN_NO_BUNDLE: noBundle, CI: '1' };
      const run = (args: string[]) => {
        const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
        return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/ in \d+\.\d+ s/g, ' in T s') };
      };
      const validate = run(['validate', spec]);
      const first = run(['run', spec, '--out', 'o', '--format', 'tex,md,json,csv']);
      const cached = run(['run', spec, '--out', 'o', '--format', 'tex,md,json,csv']);
      const files = Object.fromEntries(
        readdirSync(join(cwd, 'o'))
          .sort()
          .map((f) => [f, readFileSync(join(cwd, 'o', f), 'utf8')]),
      );
      return { validate, first, cached, files };
    };
    const bundled = outputs('');
    const unbundled = outputs('1');
    expect(bundled.first.code).toBe(0);
    expect(Object.keys(bundled.files).length).toBeGreaterThan(3);
    expect(bundled).toEqual(unbundled);
    // The engine's version in the provenance comes from package.json in both (the bundle finds the package root).
    expect(bundled.files['results.json']).toContain(
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
    );
    execFileSync(process.execPath, [bin, '--version']);
  });
});
