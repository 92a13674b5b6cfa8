/**
 * `sbm`: green TFP as Tone's slacks-based measure with undesirable outputs (formula in sbm-efficiency.ts, LPs and
 * their certificates in sbm-lp.ts, choices and measurements in README.md).
 *
 * Frontiers from the panel's time column: `year` (default) one technology per period; `global` one pooled
 * technology; `sequential` the technology of period t is spanned by every period ≤ t and evaluates period t's rows.
 * Columns: NAME (the score), and with `details: true` NAME_slack_VAR for each input and output (SBM slacks in data
 * units) and NAME_peers (the reference set: `unit period` labels, sorted, `; `-separated).
 */
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import { isText, textColumn, type Column } from '../../core/frame.js';
import { TRANSFORM_DEFAULTS, type NormalizedSbm, type SbmTransform } from '../spec.js';
import { unwrapped, type TransformContext, type TransformFunctions, type TransformOutput } from '../types.js';
import { sbmEfficiency, SbmStatus, type SbmFrontier } from './sbm-efficiency.js';
import { terminalProgress, type ProgressFactory } from './progress.js';

export { sbmEfficiency, paretoCandidates, SbmStatus } from './sbm-efficiency.js';
export type { SbmData, SbmFrontier, SbmOptions, SbmResult } from './sbm-efficiency.js';

type SbmSpec = SbmTransform['sbm'];

/** The transform with a progress indicator chosen by `progress` (none when it returns undefined). */
export function makeSbmTransform(
  progress: ProgressFactory = () => undefined,
): TransformFunctions<SbmSpec, NormalizedSbm> {
  return {
    inputs(spec) {
      return [...spec.inputs, ...spec.desirable, ...(spec.undesirable ?? [])];
    },
    compute(name, spec, ctx) {
      return computeSbm(name, spec, ctx, progress);
    },
  };
}

/** The registered transform: a progress bar on stderr only for long runs on a terminal outside CI. */
export const sbmTransform: TransformFunctions<SbmSpec, NormalizedSbm> = makeSbmTransform(terminalProgress);

/** The registered module: `{ sbm: {...} }`; with `details: true` it also writes slack and peer columns. */
export const sbmModule = unwrapped(
  'sbm',
  { type: 'SbmTransform', file: 'engine/transforms/spec.ts' },
  TRANSFORM_DEFAULTS.sbm,
  sbmTransform,
  (name, spec) =>
    spec.details
      ? [
          ...[...spec.inputs, ...spec.desirable, ...(spec.undesirable ?? [])].map((x) => `${name}_slack_${x}`),
          `${name}_peers`,
        ]
      : [],
);

function computeSbm(
  name: string,
  spec: NormalizedSbm,
  ctx: TransformContext,
  progress: ProgressFactory,
): TransformOutput {
  const rts = spec.rts;
  const frontier = spec.frontier;
  const rule = spec.nonpositive;
  if (rts !== 'crs' && rts !== 'vrs')
    bad(name, `rts must be crs or vrs, not ${String(rts)}`, 'use rts: crs or rts: vrs');
  if (frontier !== 'year' && frontier !== 'global' && frontier !== 'sequential') {
    bad(
      name,
      `frontier must be year, global or sequential, not ${String(frontier)}`,
      'use frontier: year, global or sequential',
    );
  }
  if (rule !== 'na' && rule !== 'dear')
    bad(name, `nonpositive must be na or dear, not ${String(rule)}`, 'use nonpositive: na or dear');
  if (!spec.inputs?.length) bad(name, 'at least one input is needed', 'list the inputs, e.g. inputs: [labor, K]');
  if (!spec.desirable?.length)
    bad(name, 'at least one desirable output is needed', 'list the desirable outputs, e.g. desirable: [gdp_real]');
  const vars = [...spec.inputs, ...spec.desirable, ...(spec.undesirable ?? [])];
  const col = (c: string): Float64Array => numericColumn(ctx, name, c);
  const data = {
    inputs: spec.inputs.map(col),
    desirable: spec.desirable.map(col),
    undesirable: (spec.undesirable ?? []).map(col),
  };
  const n = ctx.frame.nrows;
  const notes: Note[] = [];

  const { frontiers, noPeriod } = frontiersOf(name, frontier, ctx.time, n);
  if (noPeriod > 0) notes.push(note('SBM_NO_PERIOD', { name, count: noPeriod }));
  const res = sbmEfficiency(data, {
    rts,
    super: spec.super,
    nonpositive: rule,
    frontiers,
    efficiencyTol: spec.tolerance,
    onProgress: progress(name),
  });

  const count = (s: number): number => res.status.reduce((a, v) => a + (v === s ? 1 : 0), 0);
  const missing = count(SbmStatus.MISSING);
  if (missing > 0) notes.push(note('SBM_MISSING_DATA', { name, count: missing }));
  const nonpos = count(SbmStatus.NONPOSITIVE);
  if (nonpos > 0) {
    const offending = vars.filter((_v, r) => {
      const c =
        r < data.inputs.length
          ? data.inputs[r]!
          : r < data.inputs.length + data.desirable.length
            ? data.desirable[r - data.inputs.length]!
            : data.undesirable[r - data.inputs.length - data.desirable.length]!;
      for (let i = 0; i < n; i++)
        if (res.status[i] === SbmStatus.NONPOSITIVE && (rule === 'na' ? c[i]! <= 0 : c[i]! < 0 || c[i] === 0))
          return true;
      return false;
    });
    notes.push(
      note('SBM_NONPOSITIVE', {
        name,
        count: nonpos,
        what: rule === 'na' ? 'zero or negative values' : 'negative values or zeros that cannot be replaced',
        vars: offending.join(', '),
      }),
    );
  }
  if (res.replaced > 0) notes.push(note('SBM_ZERO_REPLACED', { name, count: res.replaced }));
  const failed = count(SbmStatus.LP_FAILED);
  if (failed > 0) notes.push(note('SBM_LP_FAILED', { name, count: failed, detail: res.failures[0] ?? '' }));
  const infeasible = count(SbmStatus.SUPER_INFEASIBLE);
  if (infeasible > 0) notes.push(note('SBM_SUPER_INFEASIBLE', { name, count: infeasible }));

  const columns: [string, Column][] = [[name, res.score]];
  if (spec.details) {
    vars.forEach((v, r) => columns.push([`${name}_slack_${v}`, res.slacks[r]!]));
    columns.push([`${name}_peers`, textColumn(peerLabels(res.peers, res.status, ctx))]);
  }
  return { columns, notes };
}

function bad(name: string, detail: string, hint: string): never {
  throw new SpecrunError('SBM_BAD_PARAMETER', { name, detail, hint });
}

function numericColumn(ctx: TransformContext, name: string, column: string): Float64Array {
  const c = ctx.frame.get(column);
  if (!c) bad(name, `no column ${column}`, 'name an existing numeric column or derived variable');
  if (isText(c)) bad(name, `column ${column} is text`, 'inputs and outputs must be numeric columns');
  return c;
}

/** The frontiers of a spec's `frontier` key over the rows of the frame. */
export function frontiersOf(
  name: string,
  frontier: 'year' | 'global' | 'sequential',
  time: Float64Array | null,
  n: number,
): { frontiers: SbmFrontier[]; noPeriod: number } {
  if (frontier === 'global') {
    const all = Int32Array.from({ length: n }, (_, i) => i);
    return { frontiers: [{ evaluate: all, reference: all }], noPeriod: 0 };
  }
  if (!time) throw new SpecrunError('SBM_NO_TIME', { name, frontier });
  const byPeriod = new Map<number, number[]>();
  let noPeriod = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (Number.isNaN(t)) {
      noPeriod++;
      continue;
    }
    let rows = byPeriod.get(t);
    if (!rows) byPeriod.set(t, (rows = []));
    rows.push(i);
  }
  const periods = [...byPeriod.keys()].sort((a, b) => a - b);
  const frontiers: SbmFrontier[] = [];
  const upTo: number[] = [];
  for (const t of periods) {
    const rows = byPeriod.get(t)!;
    const evaluate = Int32Array.from(rows);
    if (frontier === 'year') frontiers.push({ evaluate, reference: evaluate });
    else {
      upTo.push(...rows);
      frontiers.push({ evaluate, reference: Int32Array.from(upTo).sort() });
    }
  }
  return { frontiers, noPeriod };
}

/** `unit period` per peer, sorted by unit label then period, joined by `; `; null without a score. */
function peerLabels(peers: readonly Int32Array[], status: Uint8Array, ctx: TransformContext): (string | null)[] {
  const label = (row: number): [string, number] => {
    const u = ctx.unit && ctx.unitLabels && ctx.unit[row]! >= 0 ? ctx.unitLabels[ctx.unit[row]!]! : `row ${row + 1}`;
    return [u, ctx.time ? ctx.time[row]! : NaN];
  };
  return peers.map((ps, i) => {
    if (status[i] !== SbmStatus.OK) return null;
    const items = [...ps].map(label).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    return items.map(([u, t]) => (Number.isNaN(t) ? u : `${u} ${t}`)).join('; ');
  });
}
