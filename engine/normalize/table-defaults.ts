/**
 * The table tier's defaults, applied in one place: a table's resolved keys (after `extends`, the column edits and
 * grid slices) become a `NormalizedTableSpec` with every default filled. The renderer, `specrun diff` and the spec
 * rules read only the normalized spec; none of them applies a default of its own.
 */
import { TABLE_DEFAULTS } from '../spec/defaults.js';
import type { NormalizedTableSpec, ResolvedTableSpec } from './plan.js';

/** The normalized spec of table `id` (`resolved`: its keys as written, after `extends`). */
export function normalizedTableSpec(id: string, resolved: ResolvedTableSpec): NormalizedTableSpec {
  const { layout: _layout, ...rest } = resolved;
  const notes = resolved.notes;
  return {
    ...rest,
    digits: resolved.digits ?? TABLE_DEFAULTS.digits,
    stars: resolved.stars ?? TABLE_DEFAULTS.stars,
    under: resolved.under ?? TABLE_DEFAULTS.under,
    longtable: resolved.longtable ?? TABLE_DEFAULTS.longtable,
    fit: resolved.fit ?? TABLE_DEFAULTS.fit,
    numbers: resolved.numbers ?? TABLE_DEFAULTS.numbers,
    dependent: resolved.dependent ?? TABLE_DEFAULTS.dependent,
    label: resolved.label ?? `${TABLE_DEFAULTS.label_prefix}${id}`,
    labels: resolved.labels ?? {},
    drop: resolved.drop ?? [],
    notes: notes === undefined || notes === null ? [] : Array.isArray(notes) ? notes : [notes],
    groups: resolved.groups ?? [],
    panels: (resolved.panels ?? []).map((p) => ({ ...p, columns: p.columns ?? resolved.columns })),
    indicators: resolved.indicators ?? [],
    rows: resolved.rows ?? [],
  };
}
