/**
 * Between the data and the estimators: pick the rows of a model's sample and the columns it names, with each lagged
 * term computed on the full panel first (so the lag of a sample row may come from a row outside the sample, as in
 * Stata and fixest).
 */
import { diagnostic, SpecrunError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { Frame, isText, takeColumn, type Column } from '../core/frame.js';
import { PanelLookup, type Panel } from '../core/panel.js';
import { evaluate } from '../expr/evaluate.js';
import { parseExpr } from '../expr/parse.js';
import type { Locate } from '../data/build-data.js';
import { literal } from '../normalize/expand-models.js';
import { modelPath, type ModelPlan, type SamplePlan, type Term } from '../normalize/plan.js';
import { suggest } from '../core/suggest.js';
import type { EstimationData, Estimator, ModelInput } from './types.js';

export class ModelInputError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** The columns a model reads, and where each is written in the spec (for unknown-variable errors), by its module. */
export function modelColumns<P extends ModelPlan>(
  module: Estimator<P>,
  plan: P,
): { terms: Term[]; columns: ModelInput[] } {
  return { terms: module.terms(plan), columns: module.inputs(plan) };
}

export function prepareModelData<P extends ModelPlan>(
  module: Estimator<P>,
  plan: P,
  frame: Frame,
  panel: Panel,
  locate: Locate,
  nonNumeric: ReadonlyMap<string, { row: number; value: string }> = new Map(),
): EstimationData {
  const at = (key: string) => locate([...modelPath(plan), key]);
  const { terms, columns } = modelColumns(module, plan);
  for (const c of columns) {
    if (!frame.has(c.name)) {
      throw new ModelInputError(
        diagnostic('UNKNOWN_VARIABLE', at(c.key), {
          name: c.name,
          suggestion: suggest(c.name, frame.names, 'variable'),
        }),
      );
    }
  }
  // 1. the sample
  let keep: Uint8Array | null = null;
  if (plan.sample) {
    let mask: Float64Array;
    try {
      mask = evaluate(parseExpr(plan.sample.expr), { frame, panel, target: `sample ${plan.sample.name}` }).values;
    } catch (e) {
      if (e instanceof SpecrunError) {
        const where = plan.sample.name === 'inline' ? at('sample') : locate(['samples', plan.sample.name]);
        throw new ModelInputError(diagnostic(e.code, where, e.args));
      }
      throw e;
    }
    keep = new Uint8Array(frame.nrows);
    let any = false;
    for (let i = 0; i < frame.nrows; i++)
      if (mask[i] === 1) {
        keep[i] = 1;
        any = true;
      }
    if (!any && plan.sample.narrowed) throw new ModelInputError(emptyNarrowed(plan.id, plan.sample, frame, panel));
    if (!any) {
      const where = plan.sample.name === 'inline' ? at('sample') : locate(['samples', plan.sample.name]);
      throw new ModelInputError(diagnostic('EMPTY_SAMPLE', where, { name: plan.sample.name }));
    }
  }
  // 2. the columns, with lagged terms computed on the whole panel
  const cols = new Map<string, Column>();
  for (const c of columns) cols.set(c.name, frame.get(c.name)!);
  let lookup: PanelLookup | null = null;
  for (const t of terms) {
    const base = frame.get(t.variable)!;
    if (isText(base)) {
      const cell = nonNumeric.get(t.variable);
      throw new ModelInputError(
        diagnostic('TEXT_REGRESSOR', at('formula'), {
          name: t.variable,
          cell: cell ? `row ${cell.row} has '${cell.value}'` : 'a derived text column',
        }),
      );
    }
    if (t.lag === 0) {
      cols.set(t.name, base);
      continue;
    }
    if (!panel.unit || !panel.time) {
      throw new ModelInputError(diagnostic('EXPR_NEEDS_PANEL', at('formula'), { name: 'lag' }));
    }
    lookup ??= new PanelLookup(panel);
    cols.set(t.name, lookup.lag(base, t.lag));
  }
  let sub = new Frame(frame.nrows, cols);
  let unit = panel.unit;
  let time = panel.time;
  if (keep) {
    const rows: number[] = [];
    for (let i = 0; i < keep.length; i++) if (keep[i]) rows.push(i);
    const idx = Int32Array.from(rows);
    sub = sub.take(idx);
    if (unit) unit = (takeColumn({ kind: 'text', codes: unit, levels: [] }, idx) as { codes: Int32Array }).codes;
    if (time) time = takeColumn(time, idx) as Float64Array;
  }
  return { frame: sub, unit, time, unitLabels: panel.unitLabels };
}

/** SPLIT_EMPTY for a sample narrowed by split/leave_one_out: how many rows the base sample and the value each hold. */
function emptyNarrowed(model: string, sample: SamplePlan, frame: Frame, panel: Panel): Diagnostic {
  const n = sample.narrowed!;
  const count = (expr: string | null): number => {
    if (expr === null) return frame.nrows;
    try {
      const v = evaluate(parseExpr(expr), { frame, panel, target: 'sample' }).values;
      let c = 0;
      for (let i = 0; i < v.length; i++) if (v[i] === 1) c++;
      return c;
    } catch {
      return 0;
    }
  };
  const base = n.base ? count(n.base.expr) : frame.nrows;
  const baseText = n.base
    ? n.base.name === 'inline'
      ? `the sample ${n.base.expr}`
      : `sample ${n.base.name}`
    : 'the data';
  const value = typeof n.value === 'number' ? String(n.value) : `'${n.value}'`;
  const detail =
    n.by === 'split'
      ? `${baseText} keeps ${base} rows and ${n.column} == ${value} holds ${count(`${n.column} == ${literal(n.value)}`)} rows of the data, but no row is in both`
      : `${baseText} keeps ${base} rows, all of them with ${n.column} == ${value}, which this model leaves out`;
  return diagnostic('SPLIT_EMPTY', n.source, { model, detail });
}
