/**
 * Strictness of a table against its models' results: every `keep`, `drop`, `stats`, `indicators` and `labels` entry
 * of a table must match something, or the table silently shows less (or other) than the spec says. A `keep` typo
 * drops a row, a `keep` of a group name that is not in the data empties a grid, a `stats` typo renders an empty row.
 * Each entry that matches nothing is a diagnostic at its own line:col: an error, or — for a table's own `labels` and
 * for group spans that leave columns uncovered, which can be intended — a warning the spec must declare in
 * `expect_warnings`. `rows` must give one value per column. Checked in `run` (against the results) and in
 * `validate` (against the terms the models' plans declare, where those are known without the data).
 */
import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.js';
import type { ModelPlan, TablePlan } from '../normalize/plan.js';
import type { ModelResult, RankSizeDetail } from '../results/types.js';
import { suggest } from '../core/suggest.js';
import { CONSTANT_TERM, planField, statValue, STAT_ALIASES } from './table-model.js';
import { DESCRIPTIVE_STAT_ALIASES } from './layouts/summary-tables.js';
import { SUMMARY_STATS } from '../estimate/describe/summary.js';

/** The statistics a descriptive table can show (engine/estimate/describe/summary.ts). */
const DESCRIPTIVE_OFFER: readonly string[] = SUMMARY_STATS;

export interface TableLocator {
  /** Position of the value at a YAML path (`['tables', id, 'keep', 2]`). */
  locate(path: (string | number)[]): SourcePosition;
  /** Position of the key at a YAML path (`['tables', id, 'labels', 'lndiv']`). */
  locateKey(path: (string | number)[]): SourcePosition;
}

/** What the columns of a table offer: their terms (null when unknown), statistics and other names. */
export interface TableOffer {
  /** Coefficient names (or, for a grid, the groups); null when they cannot be known (validate without data). */
  readonly terms: readonly string[] | null;
  /** Statistic names some column reports; null when unknown. */
  readonly stats: readonly string[] | null;
  /** Other names a label may name: fixed effects, dependent variables. */
  readonly names: readonly string[];
}

const key = (t: string): string => t.replace(/\s+/g, '');

/** What the results of a table's columns offer. */
export function offerOfResults(table: TablePlan, results: readonly ModelResult[]): TableOffer {
  if (table.layout === 'descriptive' || table.layout === 'correlation') {
    const d = results[0]?.detail as { variables?: string[]; groups?: string[] } | undefined;
    // A descriptive table's labels may also name its groups (`"1": 中心城市`) and the stub and difference headers.
    return {
      terms: [...(d?.variables ?? [])],
      stats: table.layout === 'descriptive' ? DESCRIPTIVE_OFFER : [],
      names: [...(d?.groups ?? [])],
    };
  }
  if (table.layout === 'grid') {
    const d = results[0]?.detail as RankSizeDetail | undefined;
    return { terms: [...new Set((d?.cells ?? []).map((c) => c.group))], stats: [], names: [] };
  }
  const all =
    table.layout === 'mediation'
      ? results.flatMap((r) => {
          const d = r.detail as { steps?: Record<string, ModelResult> } | undefined;
          return d?.steps ? Object.values(d.steps) : [r];
        })
      : results;
  const terms = [...new Set(all.flatMap((r) => Object.keys(r.coefficients)))];
  if (
    all.some(
      (r) =>
        r.coefficients[CONSTANT_TERM] !== undefined ||
        (r.detail as { timeEffects?: Record<string, unknown> } | undefined)?.timeEffects?.[CONSTANT_TERM] !== undefined,
    )
  ) {
    if (!terms.includes(CONSTANT_TERM)) terms.push(CONSTANT_TERM);
  }
  const stats = new Set<string>(['nobs']);
  for (const r of all) {
    for (const s of Object.keys(r.stats)) if (statValue(r, s) !== null) stats.add(s);
    if (statValue(r, 'gmm_equations') !== null) stats.add('gmm_equations');
  }
  return { terms, stats: [...stats], names: [...new Set(all.flatMap((r) => r.fixedEffects))] };
}

/** The diagnostics of one table; `own` is the table as written in its spec (its own labels, not the shared ones). */
export function tableStrictness(
  table: TablePlan,
  offer: TableOffer,
  own: Record<string, unknown> | undefined,
  at: TableLocator,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const spec = table.spec;
  const path = ['tables', table.id];
  const what =
    table.layout === 'grid'
      ? 'group'
      : table.layout === 'descriptive' || table.layout === 'correlation'
        ? 'variable'
        : 'term';
  const terms = offer.terms;
  if (terms !== null) {
    const known = new Set(terms.map(key));
    const check = (
      list: readonly string[] | undefined,
      field: 'keep' | 'drop',
      code: 'TABLE_KEEP_UNMATCHED' | 'TABLE_DROP_UNMATCHED',
    ) => {
      (list ?? []).forEach((entry, i) => {
        // `_indirect`, `_verdict`, ...: the reserved keys of a layout's own rows (a mediation table drops them by key).
        if (typeof entry !== 'string' || known.has(key(entry)) || entry.startsWith('_')) return;
        out.push(
          diagnostic(code, at.locate([...path, field, i]), {
            table: table.id,
            name: entry,
            what,
            suggestion: suggest(entry, terms, what),
          }),
        );
      });
    };
    check(spec.keep, 'keep', 'TABLE_KEEP_UNMATCHED');
    check(spec.drop, 'drop', 'TABLE_DROP_UNMATCHED');
    spec.indicators.forEach((ind, i) => {
      (ind?.terms ?? []).forEach((t, j) => {
        if (known.has(key(t))) return;
        out.push(
          diagnostic('TABLE_INDICATOR_UNMATCHED', at.locate([...path, 'indicators', i, 'terms', j]), {
            table: table.id,
            name: t,
            suggestion: suggest(t, terms, 'term'),
          }),
        );
      });
    });
  }
  if (offer.stats !== null && table.layout !== 'grid') {
    const stats = offer.stats;
    (spec.stats ?? []).forEach((s, i) => {
      const aliases = table.layout === 'descriptive' ? DESCRIPTIVE_STAT_ALIASES : STAT_ALIASES;
      const name = Object.hasOwn(aliases, s) ? aliases[s]! : s;
      if (stats.includes(name)) return;
      out.push(
        diagnostic('TABLE_STAT_UNMATCHED', at.locate([...path, 'stats', i]), {
          table: table.id,
          name: s,
          suggestion: suggest(s, stats, 'statistic'),
        }),
      );
    });
  }
  const columns = table.layout === 'mediation' ? 3 : table.layout === 'regression' ? spec.columns.length : 0;
  spec.rows.forEach((r, i) => {
    const n = Array.isArray(r?.values) ? r.values.length : 0;
    if (n !== columns)
      out.push(
        diagnostic('TABLE_ROW_VALUES', at.locate([...path, 'rows', i, 'values']), {
          table: table.id,
          row: i + 1,
          count: n,
          columns,
        }),
      );
  });
  if (
    Array.isArray(spec.groups) &&
    (table.layout === 'regression' || table.layout === 'mediation') &&
    spec.groups.length > 0
  ) {
    const spanned = spec.groups.reduce((s, g) => s + Number(g?.span ?? 0), 0);
    if (spanned < columns)
      out.push(diagnostic('TABLE_GROUPS_SHORT', at.locate([...path, 'groups']), { table: table.id, spanned, columns }));
  }
  // A table's own labels (the spec-level ones apply to every table and may name what this one does not show).
  const labels = own?.['labels'];
  if (terms !== null && offer.stats !== null && labels && typeof labels === 'object') {
    const names = new Set([...terms, ...offer.stats, ...offer.names, ...(spec.stats ?? [])].map(key));
    for (const name of Object.keys(labels)) {
      if (name.startsWith('_') || names.has(key(name))) continue;
      out.push(
        diagnostic('TABLE_LABEL_UNMATCHED', at.locateKey([...path, 'labels', name]), {
          table: table.id,
          name,
          suggestion: suggest(name, [...terms, ...offer.stats], 'name'),
        }),
      );
    }
  }
  return out;
}

/**
 * What the plans of a table's columns declare before any data is read (for `validate`): the terms when every column's
 * terms are known from its formula (plain variables, lags and products; not factor or Sun–Abraham terms, whose
 * names depend on the data), never the statistics (some depend on the data too).
 */
export function offerOfPlans(table: TablePlan, plans: readonly ModelPlan[]): TableOffer {
  if (table.layout === 'grid') return { terms: null, stats: null, names: [] };
  if (table.layout === 'descriptive' || table.layout === 'correlation') {
    const vars = planField(
      plans.find((m) => m.id === table.models[0]),
      'variables',
    );
    const terms = Array.isArray(vars) ? vars.filter((v): v is string => typeof v === 'string') : null;
    return { terms, stats: table.layout === 'descriptive' ? DESCRIPTIVE_OFFER : null, names: [] };
  }
  const terms: string[] = [CONSTANT_TERM];
  for (const id of table.models) {
    const p = plans.find((m) => m.id === id);
    if (!p) return { terms: null, stats: null, names: [] };
    if (p.estimator === 'mediation') {
      for (const f of ['treatment', 'mediator']) {
        const v = planField(p, f);
        if (typeof v === 'string') terms.push(v);
      }
      const controls = planField(p, 'controls');
      if (Array.isArray(controls)) for (const c of controls) if (typeof c === 'string') terms.push(c);
    } else if (p.estimator === 'ols' || p.estimator === 'sysgmm' || p.estimator === 'diffgmm') {
      const regressors = planField(p, 'regressors');
      if (!Array.isArray(regressors)) return { terms: null, stats: null, names: [] };
      for (const r of regressors) {
        const fields = new Map<string, unknown>(Object.entries(r ?? {}));
        const kind = fields.get('kind');
        const name = fields.get('name');
        if (kind === 'i' || kind === 'sunab' || typeof name !== 'string')
          return { terms: null, stats: null, names: [] };
        terms.push(name);
      }
    } else return { terms: null, stats: null, names: [] };
  }
  return { terms: [...new Set(terms)], stats: null, names: [] };
}
