// Loads the compiled engine for bin/specrun.mjs (issue 19: start-up).
//
// `npm ci` / `npm run build` compile engine/ into dist/ (tsc) and then bundle dist/cli/main.js with its runtime
// dependencies yaml and fflate into one CommonJS file, dist/bundle/specrun.cjs (scripts/bundle.mjs), beside V8's
// code cache of it, dist/bundle/specrun.cjs.v8cache. One file instead of ≈ 250 modules spares the module loader,
// and the code cache spares compiling it: the file is compiled here with `vm.Script` and the cached bytecode.
//
// Never stale, never required:
// - the bundle is used only when it is at least as new as dist/cli/main.js (a later `tsc` alone makes it older:
//   then dist/cli/main.js is imported, as before the bundle existed); SPECRUN_NO_BUNDLE=1 imports dist/ always;
// - the code cache is used only when it was made from exactly this build of the bundle (its first line is the
//   SHA-256 that the bundle's own first line records; V8 itself checks only the length) and by this V8 (V8 rejects
//   it otherwise: compiled afresh).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
export const BUNDLE = join(dist, 'bundle', 'specrun.cjs');
export const CODE_CACHE = `${BUNDLE}.v8cache`;

/**
 * CommonJS's own wrapper, so that the bundle sees `require`, `module` and `__filename` as under `require()`, plus
 * `__specrunImport`: the bundle's `import()` of the libraries loaded on demand (vega, docx, hyparquet), which
 * scripts/bundle.mjs rewrites to call it. Node 20 runs an `import()` inside `vm.Script` code only with an
 * experimental option (and a warning on stderr); this module's own `import()` is Node's ordinary loader.
 */
const HEAD = '(function (exports, require, module, __filename, __dirname, __specrunImport) {';
const TAIL = '\n})';

function bundleIsCurrent() {
  if (process.env.SPECRUN_NO_BUNDLE) return false;
  try {
    return statSync(BUNDLE).mtimeMs >= statSync(join(dist, 'cli', 'main.js')).mtimeMs;
  } catch {
    return false;
  }
}

/** The first line scripts/bundle.mjs writes: the SHA-256 of the rest of the file, computed when it was built. */
export const TOKEN = '// specrun bundle sha256=';

/**
 * The key of the text the bundle is compiled as (the first line of its code cache): the build's SHA-256 from the
 * bundle's first line, read instead of hashing 1.8 MB at every start; for a file without it, the SHA-256 of the text.
 */
export function sourceKey(text) {
  if (text.startsWith(TOKEN) && text.charCodeAt(TOKEN.length + 64) === 10)
    return text.slice(TOKEN.length, TOKEN.length + 64);
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Compile and run the bundle. `useCache: false` compiles without the code cache (scripts/bundle.mjs, which makes
 * it). Returns the engine's exports, the compiled script (whose `createCachedData()` is the code cache) and the key.
 */
export function loadBundle({ useCache = true } = {}) {
  const text = readFileSync(BUNDLE, 'utf8');
  const key = sourceKey(text);
  const source = HEAD + text + TAIL;
  let cachedData;
  if (useCache) {
    try {
      const bytes = readFileSync(CODE_CACHE);
      if (bytes.length > 65 && bytes.toString('latin1', 0, 64) === key && bytes[64] === 10)
        cachedData = bytes.subarray(65);
    } catch {
      // no code cache: compiled from the text
    }
  }
  const script = new vm.Script(source, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  const importLibrary = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE), importLibrary);
  return { engine: module.exports, script, key };
}

/** The engine's `main`: from the bundle when it is current, else from dist/cli/main.js. */
export async function loadMain() {
  if (bundleIsCurrent()) return loadBundle().engine.main;
  return (await import('../dist/cli/main.js')).main;
}
