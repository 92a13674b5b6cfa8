/**
 * `pim`: perpetual-inventory capital stock, per unit in time order.
 *
 *   K_t = (1 − δ) K_{t−1} + I_t / P_t                        for the unit's later periods
 *   K_0 = (I_0 / P_0) / (g + δ)                              in the unit's first period
 *   g   = ((I_h / P_h) / (I_0 / P_0))^(1/h) − 1                geometric mean growth of real investment over the
 *                                                            first h = min(growth_years, periods − 1) steps
 *   K_0 = S_0 / P_0                                          instead, with `initial_stock: S` (a stock column such
 *                                                            as the original value of fixed assets)
 *
 * δ is given, or derived from asset service lives (Shan 2008 style): geometric depreciation that leaves the residual
 * share R after a life of T_j years has δ_j = 1 − R^(1/T_j); with several asset classes δ = Σ_j w_j δ_j, the weights
 * normalised to sum to 1. (Buildings 38 years, equipment 12, other 16, R = 0.04 give δ_j = 8.1%, 23.5%, 18.2%.)
 *
 * The recursion needs every period: a missing investment or price level, or a gap in the periods, leaves K missing
 * from there on; a negative investment does the same with a warning; a first-period investment that is missing or
 * not positive leaves the unit's whole series missing. Every such row is counted in the notes. When g + δ ≤ 0
 * (real investment collapsing over the first years) K_0 uses g = 0, with a warning.
 */
import { note, SpecrunError, type Note } from '../diagnostics/diagnostic.js';
import { TRANSFORM_DEFAULTS, type NormalizedPim, type PimTransform } from './spec.js';
import type { Transform, TransformContext, TransformOutput } from './types.js';
import { levelNotes } from './deflate.js';
import {
  describeRows,
  firstPeriod,
  nanColumn,
  numericInput,
  panelStep,
  priceLevels,
  requirePanel,
  rowsByUnit,
  missingRowsNote,
} from './panel-utils.js';

/** δ from the spec: the given rate, or the share-weighted geometric rate implied by the service lives. */
export function depreciationRate(name: string, spec: NormalizedPim['pim']): number {
  const bad = (detail: string, hint: string) => new SpecrunError('TRANSFORM_BAD_PARAMETER', { name, detail, hint });
  if (spec.depreciation !== undefined && spec.service_lives !== undefined) {
    throw bad('give either depreciation or service_lives, not both', 'remove one of the two keys');
  }
  if (spec.depreciation !== undefined) {
    const d = spec.depreciation;
    if (!(d > 0 && d < 1)) throw bad(`depreciation must lie in (0, 1), got ${d}`, 'a yearly rate such as 0.096');
    return d;
  }
  const lives = spec.service_lives;
  if (!lives || lives.length === 0)
    throw bad('needs depreciation or service_lives', 'add `depreciation: 0.096` or a service_lives list');
  const residual = spec.residual;
  if (!(residual > 0 && residual < 1))
    throw bad(
      `residual must lie in (0, 1), got ${residual}`,
      'the share of value left at the end of the service life, e.g. 0.04',
    );
  let total = 0;
  for (const { life, share } of lives) {
    if (!(life > 0)) throw bad(`service life must be positive, got ${life}`, 'lives are in periods (years)');
    if (!(share >= 0))
      throw bad(`service-life share must be non-negative, got ${share}`, 'shares are weights of the asset classes');
    total += share;
  }
  if (!(total > 0)) throw bad('service-life shares sum to 0', 'give each asset class a positive share');
  let delta = 0;
  for (const { life, share } of lives) delta += (share / total) * (1 - Math.pow(residual, 1 / life));
  return delta;
}

export const pimTransform: Transform<PimTransform, NormalizedPim> = {
  kind: 'pim',
  spec: { type: 'PimTransform', file: 'engine/transforms/spec.ts' },
  defaults: TRANSFORM_DEFAULTS.pim,
  inputs(spec) {
    const p = spec.pim;
    return [p.investment, ...(p.price_index ? [p.price_index] : []), ...(p.initial_stock ? [p.initial_stock] : [])];
  },

  compute(name: string, spec: NormalizedPim, ctx: TransformContext): TransformOutput {
    const p = spec.pim;
    const delta = depreciationRate(name, p);
    const growthYears = p.growth_years;
    if (!(Number.isInteger(growthYears) && growthYears >= 1)) {
      throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
        name,
        detail: `growth_years must be a positive integer, got ${growthYears}`,
        hint: 'e.g. growth_years: 5',
      });
    }
    const { unit, time } = requirePanel(ctx, name, 'pim');
    const invest = numericInput(ctx, name, p.investment);
    const stock = p.initial_stock ? numericInput(ctx, name, p.initial_stock) : null;
    const units = rowsByUnit(unit, time);
    const base = p.base ?? firstPeriod(time);
    const levels = p.price_index
      ? priceLevels(numericInput(ctx, name, p.price_index), units, time, base, p.index_type, p.index_scale)
      : { level: new Float64Array(ctx.frame.nrows).fill(1), noBase: [], broken: [] };
    const step = panelStep(units, time);

    const K = nanColumn(ctx.frame.nrows);
    const missingInvest: number[] = []; // rows lost to a missing investment (there and after)
    const negative: number[] = []; // rows with a negative investment
    const lostToNegative: number[] = [];
    const gaps: number[] = []; // rows lost to a gap in the periods
    const noPrice: number[] = []; // rows lost to an unknown price level (there and after)
    const badStart: number[] = [];
    const fallback: number[] = [];
    const noStock: number[] = []; // units whose first-period stock is missing or not positive (all their rows)

    for (const rows of units) {
      const n = rows.length;
      const real = new Float64Array(n);
      for (let k = 0; k < n; k++) real[k] = invest[rows[k]!]! / levels.level[rows[k]!]!;
      for (let k = 0; k < n; k++) if (invest[rows[k]!]! < 0) negative.push(rows[k]!);

      if (!(real[0]! > 0)) {
        const first = rows[0]!;
        const list = Number.isNaN(invest[first]!)
          ? missingInvest
          : Number.isNaN(levels.level[first]!)
            ? noPrice
            : badStart;
        for (const i of rows) list.push(i);
        continue;
      }
      if (stock !== null) {
        const k0 = stock[rows[0]!]! / levels.level[rows[0]!]!;
        if (!(k0 > 0)) {
          for (const i of rows) noStock.push(i);
          continue;
        }
        K[rows[0]!] = k0;
      } else {
        // h: the longest run of usable, contiguous periods from the start, capped at growth_years.
        let h = 0;
        while (h < growthYears && h + 1 < n && real[h + 1]! > 0 && time[rows[h + 1]!]! - time[rows[h]!]! <= step) h++;
        let g = h > 0 ? Math.pow(real[h]! / real[0]!, 1 / h) - 1 : 0;
        if (!(g + delta > 0)) {
          g = 0;
          fallback.push(rows[0]!);
        }
        K[rows[0]!] = real[0]! / (g + delta);
      }
      for (let k = 1; k < n; k++) {
        const i = rows[k]!;
        const r = real[k]!;
        let lost: number[] | null = null; // the list that counts this row and every later one
        if (time[i]! - time[rows[k - 1]!]! > step) lost = gaps;
        else if (Number.isNaN(invest[i]!)) lost = missingInvest;
        else if (invest[i]! < 0) lost = lostToNegative;
        else if (Number.isNaN(r)) lost = noPrice;
        if (lost !== null) {
          for (let j = k; j < n; j++) lost.push(rows[j]!);
          break;
        }
        K[i] = (1 - delta) * K[rows[k - 1]!]! + r;
      }
    }

    const notes: Note[] = [];
    if (noPrice.length) {
      notes.push(
        note('DATA_VALUE_MISSING', {
          name,
          count: noPrice.length,
          reason: `price level of ${p.price_index} unknown there or in an earlier period: ${describeRows(ctx, noPrice)}`,
        }),
      );
      notes.push(...levelNotes(name, ctx, levels, base, p.investment, []));
    }
    notes.push(...missingRowsNote(ctx, name, missingInvest, `${p.investment} missing there or in an earlier period`));
    if (negative.length) {
      notes.push(
        note('TRANSFORM_NEGATIVE_INPUT', {
          name,
          column: p.investment,
          count: negative.length,
          where: describeRows(ctx, negative),
          detail: `the capital stock is set missing from there on (${lostToNegative.length + badStart.length} row(s))`,
        }),
      );
    } else notes.push(...missingRowsNote(ctx, name, badStart, `first-period ${p.investment} is zero`));
    notes.push(...missingRowsNote(ctx, name, gaps, `a gap in the periods breaks the recursion`));
    notes.push(
      ...missingRowsNote(
        ctx,
        name,
        noStock,
        `first-period ${p.initial_stock} missing or not positive, so the unit has no capital stock`,
      ),
    );
    if (fallback.length) {
      notes.push(note('PIM_INITIAL_FALLBACK', { name, count: fallback.length, where: describeRows(ctx, fallback) }));
    }
    return { columns: [[name, K]], notes };
  },
};
