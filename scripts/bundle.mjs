// The start-up build step (issue 19), run by `npm run build` / `npm ci` after tsc:
//   dist/bundle/specrun.cjs         — dist/cli/main.js and every engine module it imports, with the runtime
//                                     dependencies yaml and fflate, as one CommonJS file (esbuild). The other
//                                     dependencies stay in node_modules and are loaded where the engine loads them
//                                     (exceljs, docx, vega, hyparquet, the LSP on demand; ajv, handlebars and
//                                     ml-matrix through createRequire);
//   dist/bundle/specrun.cjs.v8cache — V8's code cache of it after a training run (validate and run of the paper and
//                                     of the Grunfeld example, in a temporary folder), first line the SHA-256 of the
//                                     bundle (which the bundle's own first line records).
//   dist/bundle/model-worker.cjs   — the worker threads' engine (dist/run/model-worker.js bundled the same way).
// bin/engine-loader.mjs loads them. Tests run on the sources (vitest) and never need this step.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** Bundled: small and on every command's path. Everything else is loaded from node_modules when used. */
const BUNDLED = new Set(['yaml', 'fflate']);
const external = Object.keys(pkg.dependencies)
  .filter((d) => !BUNDLED.has(d))
  .flatMap((d) => [d, `${d}/*`]);

/**
 * The precompiled schema validators (engine/spec/spec-validators.cjs, ≈ 1 MB) go into the bundle, so that the code
 * cache covers them: the run-time `require(precompiledPath())` becomes a require of the file itself. The engine still
 * uses them only when their schema hash matches the schema it reads (else ajv compiles, as before).
 */
const validatorsInBundle = {
  name: 'specrun-validators',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]validate[\\/]schema-compile\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      // The module's own `require` (createRequire) becomes the bundle's, which esbuild follows for a literal path
      // and leaves alone for the external ajv.
      const file = join(root, 'engine', 'spec', 'spec-validators.cjs');
      for (const [from, to] of [
        ['const require = createRequire(import.meta.url);', ''],
        ['require(precompiledPath())', `require(${JSON.stringify(file)})`],
      ]) {
        if (!text.includes(from)) throw new Error(`bundle: "${from}" not found in ${args.path}`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

const { engineBuildId } = await import('../dist/cache/engine-build.js');
const bundle = join(root, 'dist', 'bundle', 'specrun.cjs');
// What both bundles share. The engine finds its package root, templates and data from its own location
// (engine/version.ts). The engine's build id (engine/cache/engine-build.ts: the hash of dist/ that result-cache keys
// carry) is computed once, now, from the files the bundles are made of, instead of at every start.
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external,
  define: { 'import.meta.url': '__specrunModuleUrl', __SPECRUN_BUILD_ID__: JSON.stringify(engineBuildId()) },
  banner: { js: "const __specrunModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'inline',
  minifyWhitespace: true,
  logLevel: 'warning',
};
await build({
  ...common,
  plugins: [validatorsInBundle],
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile: bundle,
});

// The worker threads' engine (`run --threads`, engine/run/parallel.ts): dist/run/model-worker.js and what it imports as
// one CommonJS file, dist/bundle/model-worker.cjs (no code cache: a worker thread loads it in ≈ 50–80 ms of CPU
// against ≈ 200 ms for the ≈ 100 modules of dist/). The pool uses it while it is at least as new as
// dist/run/model-worker.js.
await build({
  ...common,
  entryPoints: [join(root, 'dist', 'run', 'model-worker.js')],
  outfile: join(root, 'dist', 'bundle', 'model-worker.cjs'),
});

// The libraries imported on demand are imported through the loader (`__specrunImport`, bin/engine-loader.mjs): code
// compiled by vm.Script cannot use import() in Node 20 without an experimental flag. Every import() must be one of
// them.
let text = readFileSync(bundle, 'utf8');
const libraries = Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d));
for (const lib of libraries)
  text = text.replaceAll(`import(${JSON.stringify(lib)})`, `__specrunImport(${JSON.stringify(lib)})`);
const left = /\bimport\s*\(/.exec(text);
if (left) throw new Error(`bundle: an import() the loader does not handle: ${text.slice(left.index, left.index + 60)}`);

// Its first line records the SHA-256 of the rest, the key of its code cache (bin/engine-loader.mjs reads it there).
const { loadBundle, CODE_CACHE, TOKEN } = await import('../bin/engine-loader.mjs');
const body = Buffer.from(text, 'utf8');
const sha = createHash('sha256').update(body).digest('hex');
writeFileSync(bundle, Buffer.concat([Buffer.from(`${TOKEN}${sha}\n`), body]));

// The code cache: compile without one, run the training commands, then save what V8 compiled.
const { engine, script, key } = loadBundle({ useCache: false });
const work = mkdtempSync(join(tmpdir(), 'specrun-bundle-'));
const sink = { write: () => true };
const io = { stdout: sink, stderr: sink, cwd: work };
const training = [
  ['validate', join(root, 'specs', 'paper')],
  ['run', join(root, 'specs', 'paper'), '--out', 'out', '--quiet'],
  ['run', join(root, 'specs', 'paper'), '--out', 'out', '--quiet'],
  ['validate', join(root, 'specs', 'examples', 'grunfeld.yaml')],
  ['run', join(root, 'specs', 'examples', 'grunfeld.yaml'), '--out', 'out', '--quiet'],
];
try {
  for (const args of training) {
    const code = await engine.main(args, io);
    if (code !== 0) console.warn(`bundle: training run "specrun ${args.join(' ')}" exited ${code}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(CODE_CACHE, Buffer.concat([Buffer.from(`${key}\n`, 'latin1'), script.createCachedData()]));
