// The linear sample reuses what coding the fixed-effect columns learnt (group sizes, whether a code is missing) for
// the missing rows, the singletons and the fixed-effect structure (engine/estimate/ols/linear-sample.ts, issue 19).
// Each case is checked against the sample built the plain way, here in the test: every column scanned for missing
// codes, rows dropped, singletons removed by a naive loop on the kept rows, the structure built from the kept rows'
// codes without any known sizes. The model account's skipping of complete columns is checked against a row-by-row
// count the same way.
import { describe, expect, it } from 'vitest';
import { Frame, groupCodes, textColumn, type Column } from '../../engine/core/frame.js';
import { buildFixedEffects, dropSingletons } from '../../engine/estimate/ols/fixed-effects.js';
import { codedColumn, linearSample } from '../../engine/estimate/ols/linear-sample.js';
import { modelAccount } from '../../engine/estimate/model-account.js';
import type { OlsPlan } from '../../engine/normalize/plan.js';
import { olsPlan, rng } from './helpers.js';

/** The codes of a fixed-effect column the plain way: text columns' own codes, numbers in order of first appearance. */
function plainCodes(col: Column): Int32Array {
  return col instanceof Float64Array ? groupCodes(col).codes : col.codes;
}

/** The sample the plain way (what linearSample computed before it reused the coding's counts). */
function plainSample(plan: OlsPlan, frame: Frame, weights: string | null) {
  const n = frame.nrows;
  const keep = new Uint8Array(n).fill(1);
  const num = [plan.dependent.name, ...plan.regressors.map((r) => r.name)].map((v) => frame.numeric(v));
  for (const x of num) for (let i = 0; i < n; i++) if (!Number.isFinite(x[i]!)) keep[i] = 0;
  const fe = plan.fixedEffects.map((v) => plainCodes(frame.get(v)!));
  const cl = plan.vcov.cluster.map((v) => plainCodes(frame.get(v)!));
  for (const c of [...fe, ...cl]) for (let i = 0; i < n; i++) if (c[i]! < 0) keep[i] = 0;
  if (weights) {
    const w = frame.numeric(weights);
    for (let i = 0; i < n; i++) if (!Number.isFinite(w[i]!) || w[i] === 0) keep[i] = 0;
  }
  // singletons: until none is left, drop every kept row alone in its group of some fixed effect
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of fe) {
      const size = new Map<number, number>();
      for (let i = 0; i < n; i++) if (keep[i]) size.set(c[i]!, (size.get(c[i]!) ?? 0) + 1);
      for (let i = 0; i < n; i++)
        if (keep[i] && size.get(c[i]!) === 1) {
          keep[i] = 0;
          changed = true;
        }
    }
  }
  const rows = Int32Array.from([...keep.keys()].filter((i) => keep[i]));
  const take = (c: Int32Array) => Int32Array.from(rows, (i) => c[i]!);
  return { rows, fe: buildFixedEffects(fe.map(take)), clusters: cl.map((c) => buildFixedEffects([take(c)])) };
}

interface Case {
  readonly name: string;
  readonly frame: Frame;
  readonly plan: OlsPlan;
  readonly weights?: string;
}

function frameOf(cols: Record<string, Column>): Frame {
  const n = Object.values(cols)[0]!;
  return new Frame(n instanceof Float64Array ? n.length : n.codes.length, Object.entries(cols));
}

function cases(): Case[] {
  const r = rng(19);
  const n = 3002; // not a multiple of four (the scans test four rows at a time)
  const num = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  const ids = (g: number) => num(() => Math.floor(r.uniform() * g));
  const base = () => ({ y: num(() => r.normal()), x: num(() => r.normal()) });
  const out: Case[] = [];
  // every row kept, no singleton: the counts of the coding are used as they are
  out.push({
    name: 'complete, dense integer codes',
    frame: frameOf({ ...base(), a: ids(40), b: ids(7), c: num((i) => 1990 + (i % 12)) }),
    plan: olsPlan('y', ['x'], ['a', 'b', 'c'], { type: 'cluster', cluster: ['a'] }),
  });
  // singletons with every row complete: the counts are known, then copied and decremented
  {
    const a = ids(40);
    a[5] = 1000;
    a[17] = 1001; // two singletons of a
    const b = ids(6);
    b[100] = 77; // a singleton of b
    out.push({
      name: 'singletons, nothing missing',
      frame: frameOf({ ...base(), a, b, cl: ids(30) }),
      plan: olsPlan('y', ['x'], ['a', 'b'], { type: 'cluster', cluster: ['cl'] }),
    });
  }
  // the same fixed effect twice and as the cluster (one coding shared by all three), with singletons
  {
    const a = ids(300);
    out.push({
      name: 'one column twice, singletons',
      frame: frameOf({ ...base(), a }),
      plan: olsPlan('y', ['x'], ['a', 'a'], { type: 'cluster', cluster: ['a'] }),
    });
  }
  // missing rows in y: the coding's counts include rows that leave the sample
  {
    const cols = { ...base(), a: ids(25), b: ids(9) };
    for (let i = 0; i < n; i += 13) cols.y[i] = NaN;
    // a group of two rows, one of them missing y: a singleton only among the rows kept
    cols.a[13] = 500;
    cols.a[14] = 500;
    // infinite values leave the sample too; the last rows (past a multiple of four) are tested one by one
    cols.x[21] = Infinity;
    cols.x[22] = -Infinity;
    cols.x[n - 1] = Infinity;
    out.push({ name: 'missing y', frame: frameOf(cols), plan: olsPlan('y', ['x'], ['a', 'b']) });
  }
  // missing fixed-effect codes (NaN in an integer column) and a group left with one row once they are dropped
  {
    const a = ids(20),
      b = ids(500);
    for (let i = 0; i < n; i += 7) a[i] = NaN;
    out.push({
      name: 'missing codes, singletons after the drop',
      frame: frameOf({ ...base(), a, b }),
      plan: olsPlan('y', ['x'], ['a', 'b'], { type: 'cluster', cluster: ['b'] }),
    });
  }
  // text fixed effects (their own codes, an unused level, missing cells) and a text cluster
  {
    const levels = ['p', 'q', 'r', 's', 'unused'];
    const t = textColumn(
      Array.from({ length: n }, (_, i) => (i % 31 === 0 ? null : levels[Math.floor(r.uniform() * 4)]!)),
    );
    const u = textColumn(Array.from({ length: n }, (_, i) => `u${Math.floor(r.uniform() * 800)}${i === 3 ? 'x' : ''}`));
    out.push({
      name: 'text fixed effects',
      frame: frameOf({ ...base(), t, u, g: ids(11) }),
      plan: olsPlan('y', ['x'], ['t', 'u', 'g'], { type: 'cluster', cluster: ['u'] }),
    });
  }
  // non-integer and far-apart numeric codes (groupCodes), complete and with a missing one
  {
    const h = num(() => Math.floor(r.uniform() * 50) / 4);
    const far = num(() => Math.floor(r.uniform() * 30) * 1e9);
    far[9] = NaN;
    // integers spread over more values than rows (a table of codes only, counted after)
    const mid = num(() => Math.floor(r.uniform() * 30) * 300);
    out.push({
      name: 'non-integer and wide-range codes',
      frame: frameOf({ ...base(), h, far }),
      plan: olsPlan('y', ['x'], ['h', 'far'], { type: 'cluster', cluster: ['h'] }),
    });
    out.push({
      name: 'integer codes over a range wider than the rows',
      frame: frameOf({ ...base(), mid, b: ids(40) }),
      plan: olsPlan('y', ['x'], ['mid', 'b'], { type: 'cluster', cluster: ['mid'] }),
    });
  }
  // weights with zeros: rows dropped after the missing ones
  {
    const cols = { ...base(), a: ids(30), w: num(() => Math.floor(r.uniform() * 4)) };
    out.push({
      name: 'zero weights',
      frame: frameOf(cols),
      plan: { ...olsPlan('y', ['x'], ['a'], { type: 'cluster', cluster: ['a'] }), weights: 'w' },
      weights: 'w',
    });
  }
  // a complete fixed effect beside a cluster variable missing on some rows
  {
    const cl = ids(40);
    cl[0] = NaN;
    cl[n - 1] = NaN;
    out.push({
      name: 'missing cluster',
      frame: frameOf({ ...base(), a: ids(50), cl }),
      plan: olsPlan('y', ['x'], ['a'], { type: 'cluster', cluster: ['cl'] }),
    });
  }
  return out;
}

describe('linear sample: counts of the coding reused', () => {
  for (const c of cases()) {
    it(c.name, () => {
      const y = c.frame.numeric(c.plan.dependent.name);
      const xs = c.plan.regressors.map((v) => c.frame.numeric(v.name));
      const s = linearSample(c.plan, c.frame, y, xs);
      const p = plainSample(c.plan, c.frame, c.weights ?? null);
      expect(s.n).toBe(p.rows.length);
      expect(Array.from(s.rows ?? Int32Array.from({ length: c.frame.nrows }, (_, i) => i))).toEqual(Array.from(p.rows));
      expect(s.fe.ngroups).toEqual(p.fe.ngroups);
      s.fe.codes.forEach((codes, k) => expect(Array.from(codes)).toEqual(Array.from(p.fe.codes[k]!)));
      s.fe.invCounts.forEach((inv, k) => expect(Array.from(inv)).toEqual(Array.from(p.fe.invCounts[k]!)));
      expect(s.clusters.map((k) => k.ngroups)).toEqual(p.clusters.map((k) => k.ngroups[0]));
      s.clusters.forEach((k, j) => expect(Array.from(k.codes)).toEqual(Array.from(p.clusters[j]!.codes[0]!)));
    });
  }
});

describe('coding a fixed-effect column', () => {
  it('counts each code of an integer column and says whether a row is missing', () => {
    const col = Float64Array.from([5, 3, 5, NaN, 9, 3, 5]);
    const c = codedColumn(col);
    expect(Array.from(c.codes)).toEqual(Array.from(groupCodes(col).codes));
    expect(Array.from(c.counts!)).toEqual([3, 2, 1]);
    expect(c.missing).toBe(true);
    const full = codedColumn(Float64Array.from([2, 2, 7]));
    expect(full.missing).toBe(false);
    expect(Array.from(full.counts!)).toEqual([2, 1]);
    // a range wider than the rows (a table of codes only, counted after), and a range too wide for a table
    for (const wide of [
      Float64Array.from([900, -40, 900, NaN, 7, -40, 900, 12]),
      Float64Array.from([5e6, 3, 5e6, 3, 3, NaN]),
    ]) {
      const w = codedColumn(wide);
      expect(Array.from(w.codes)).toEqual(Array.from(groupCodes(wide).codes));
      const counted = new Array(groupCodes(wide).ngroups).fill(0);
      for (const g of w.codes) if (g >= 0) counted[g]++;
      if (w.counts) expect(Array.from(w.counts)).toEqual(counted);
      expect(w.missing).toBe(true);
    }
    expect(codedColumn(Float64Array.from([900, -40, 900, NaN, 7, -40, 900, 12])).counts).not.toBe(null);
  });

  it('known counts give the same structure as counting, and are not written to by the singleton removal', () => {
    const codes = [Int32Array.from([0, 1, 1, 2, 0, 3, 2]), Int32Array.from([0, 0, 1, 1, 1, 2, 2])];
    const known = codes.map((c) => {
      const k = new Int32Array(Math.max(...c) + 1);
      for (const v of c) k[v]!++;
      return k;
    });
    const before = known.map((k) => Array.from(k));
    const a = buildFixedEffects(codes, known),
      b = buildFixedEffects(codes);
    expect(a.ngroups).toEqual(b.ngroups);
    a.invCounts.forEach((inv, k) => expect(Array.from(inv)).toEqual(Array.from(b.invCounts[k]!)));
    const keepA = new Uint8Array(7).fill(1),
      keepB = new Uint8Array(7).fill(1);
    expect(dropSingletons(codes, keepA, known)).toEqual(dropSingletons(codes, keepB));
    expect(Array.from(keepA)).toEqual(Array.from(keepB));
    expect(keepA.includes(0)).toBe(true);
    expect(known.map((k) => Array.from(k))).toEqual(before);
    // counts with an empty group are not taken as dense: the codes are squeezed as without them
    const gap = Int32Array.from([0, 2, 2, 0]);
    const squeezed = buildFixedEffects([gap], [Int32Array.from([2, 0, 2])]);
    expect(squeezed.ngroups).toEqual([2]);
    expect(Array.from(squeezed.codes[0]!)).toEqual([0, 1, 1, 0]);
  });
});

describe('model account: complete columns skipped', () => {
  /** Row by row: each incomplete row under the first of the frame's columns missing in it. */
  function plainAccount(frame: Frame) {
    const cols = frame.names.map((v) => frame.get(v)!);
    const counts: Record<string, number> = {};
    let complete = 0;
    for (let i = 0; i < frame.nrows; i++) {
      const j = cols.findIndex((c) => (c instanceof Float64Array ? Number.isNaN(c[i]!) : c.codes[i]! < 0));
      if (j < 0) complete++;
      else counts[frame.names[j]!] = (counts[frame.names[j]!] ?? 0) + 1;
    }
    // in the frame's column order
    const ordered: Record<string, number> = {};
    for (const v of frame.names) if (counts[v]) ordered[v] = counts[v];
    return { complete, counts: ordered };
  }

  it('the same account with no column missing, some, and text columns', () => {
    const r = rng(7);
    const n = 10_003; // more than one block of rows, not a multiple of four
    const num = (p: number) => Float64Array.from({ length: n }, () => (r.uniform() < p ? NaN : r.normal()));
    const text = (p: number) => textColumn(Array.from({ length: n }, () => (r.uniform() < p ? null : 'a')));
    const tail = num(0);
    tail[n - 1] = NaN; // the one missing row past a multiple of four
    const frames = [
      frameOf({ y: num(0), x: tail, t: text(0) }),
      frameOf({ y: num(0), x: num(0), t: text(0) }),
      frameOf({ y: num(0), x: num(0.05), t: text(0), z: num(0.02) }),
      frameOf({ y: num(0.01), x: num(0), t: text(0.03), z: num(0.5) }),
    ];
    for (const f of frames) {
      const a = modelAccount({ frame: f } as Parameters<typeof modelAccount>[0], 123);
      const p = plainAccount(f);
      expect(a.complete_rows).toBe(p.complete);
      expect(a.dropped_missing).toEqual(p.counts);
      expect(Object.keys(a.dropped_missing)).toEqual(Object.keys(p.counts));
      expect(a.rows).toBe(123);
      expect(a.sample_rows).toBe(n);
    }
    expect(plainAccount(frames[1]!).complete).toBe(n);
    expect(plainAccount(frames[0]!).counts).toEqual({ x: 1 });
    expect(Object.keys(plainAccount(frames[3]!).counts).length).toBe(3);
  });
});
