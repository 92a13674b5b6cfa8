// Optional parity check against published numbers whose data may not be copied into the project
// (/work/shared/reference, i.e. ../shared/reference from the repository root). Run: `npm run parity:shared`
// (or `node scripts/parity-shared.mjs`). A fresh clone without that folder skips with exit code 0; a mismatch
// exits 1.
//
// hsb2.csv (N = 200): X = math, M = read, Y = science, the published Stata `sgmediation science, mv(read) iv(math)`
// output quoted in REFERENCE.md. Tolerance: half a unit of the last printed digit of each published number
// (5e-7 … 5e-5), i.e. agreement to every digit printed. Also checks that the bootstrap of ab is bit-identical for
// the same seed on this data.
//
// The engine is compiled on the fly (only the mediation estimator and what it imports) into a temporary folder,
// so the check does not depend on the rest of the tree building.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'reference');
const hsb2Path = join(shared, 'hsb2.csv');

if (!existsSync(hsb2Path)) {
  console.log(`parity:shared skipped: ${hsb2Path} not present`);
  process.exit(0);
}

// 1. compile the mediation estimator
const out = mkdtempSync(join(tmpdir(), 'specrun-parity-'));
try {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--outDir',
      out,
      '--rootDir',
      join(root, 'engine'),
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--target',
      'ES2022',
      '--strict',
      '--skipLibCheck',
      '--types',
      'node',
      join(root, 'engine', 'estimate', 'mediation', 'index.ts'),
    ],
    { stdio: 'inherit' },
  );
  await run(out);
} finally {
  rmSync(out, { recursive: true, force: true });
}

async function run(dist) {
  const { Frame } = await import(pathToFileURL(join(dist, 'data', 'frame.js')).href);
  const { mediationEstimator } = await import(pathToFileURL(join(dist, 'estimate', 'mediation', 'index.js')).href);

  // 2. the data: a header row, then numbers (some quoted)
  const lines = readFileSync(hsb2Path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.replace(/"/g, ''));
  const rows = lines.slice(1).map((l) => l.split(',').map((v) => Number(v.replace(/"/g, ''))));
  const frame = new Frame(
    rows.length,
    header.map((h, j) => [h, Float64Array.from(rows, (r) => r[j])]),
  );

  const plan = (bootstrap) => ({
    estimator: 'mediation',
    id: 'hsb2',
    label: null,
    sample: null,
    source: { file: 'parity-shared', path: '', line: 0, col: 0 },
    treatment: 'math',
    mediator: 'read',
    outcome: 'science',
    controls: [],
    fixedEffects: [],
    vcov: { type: 'iid', cluster: [], ssc: { adj: true, fixef_k: 'nested', cluster_adj: true } },
    bootstrap,
  });
  const data = { frame, unit: null, time: null };
  const res = mediationEstimator.estimate(plan(null), data);
  const s = res.stats;

  // 3. the published numbers, as printed (REFERENCE.md)
  const published = [
    ['c', '0.66658'],
    ['c_se', '0.0582822'],
    ['a', '0.724807'],
    ['a_se', '0.0582745'],
    ['b', '0.365421'],
    ['b_se', '0.0663299'],
    ['c_prime', '0.401721'],
    ['c_prime_se', '0.0725922'],
    ['indirect', '0.264859'],
    ['sobel_se', '0.0525814'],
    ['sobel_z', '5.0371'],
    ['aroian_z', '5.0236'],
    ['goodman_z', '5.0508'],
    ['share', '0.3973'],
  ];
  let failures = 0;
  console.log(`hsb2 mediation (N = ${res.nobs}): X = math, M = read, Y = science`);
  for (const [key, text] of published) {
    const want = Number(text);
    const tol = 0.5 * 10 ** -(text.split('.')[1] ?? '').length + 1e-12;
    const got = s[key];
    const ok = typeof got === 'number' && Math.abs(got - want) <= tol;
    if (!ok) failures++;
    console.log(
      `  ${ok ? 'ok  ' : 'FAIL'} ${key.padEnd(11)} got ${String(got).padEnd(22)} published ${text.padEnd(10)} |diff| ${typeof got === 'number' ? Math.abs(got - want).toExponential(2) : '-'} ≤ ${tol.toExponential(1)}`,
    );
  }
  if (res.nobs !== 200) {
    failures++;
    console.log(`  FAIL nobs ${res.nobs}, published 200`);
  }

  // 4. the bootstrap is reproducible bit for bit from its seed
  const boot = () =>
    mediationEstimator.estimate(plan({ reps: 500, seed: 20240601, level: 0.95 }), data).detail.bootstrap;
  const b1 = boot();
  const b2 = boot();
  const bits = (b) =>
    Buffer.from(Float64Array.from([...b.percentile, ...b.biasCorrected, b.se]).buffer).toString('hex');
  const same = bits(b1) === bits(b2);
  if (!same) failures++;
  console.log(
    `  ${same ? 'ok  ' : 'FAIL'} bootstrap (500 reps, seed 20240601) percentile [${b1.percentile.join(', ')}], ` +
      `bias-corrected [${b1.biasCorrected.join(', ')}], identical on a second run: ${same}`,
  );

  if (failures > 0) {
    console.error(`parity:shared: ${failures} mismatch(es)`);
    process.exit(1);
  }
  console.log('parity:shared: all published numbers reproduced');
}
