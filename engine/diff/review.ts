/**
 * Review warnings: what a reviewer of a spec change should look at although the change itself is valid.
 *   - keep-hidden: a regressor the change adds to a model is not shown by a table's `keep` list;
 *   - note-variance / note-sample: a column's variance or sample changed while the table's notes did not (the notes
 *     usually say how standard errors are computed and on which sample); a note that speaks of clustering while no
 *     column of the table clusters;
 *   - label-orphaned: a label that named a term of the table before the change names none after it (a renamed
 *     variable), with the new terms as a hint.
 */
import { localize } from '../render/format.js';
import type { ModelPlan, Plan, TablePlan } from '../normalize/plan.js';
import { suggest } from '../core/suggest.js';
import type { SpecDiff } from './semantic-diff.js';

export interface ReviewWarning {
  readonly code: 'keep-hidden' | 'note-variance' | 'note-sample' | 'note-cluster' | 'label-orphaned';
  readonly table: string;
  readonly message: string;
}

/** The term names a model puts in a table's rows (regressors; a mediation model's treatment, mediator and controls). */
function termsOf(m: ModelPlan | undefined): string[] {
  if (!m) return [];
  const r = m as unknown as Record<string, unknown>;
  if (Array.isArray(r['regressors'])) return (r['regressors'] as { name: string }[]).map((t) => t.name);
  return ['treatment', 'mediator']
    .map((k) => r[k])
    .filter((x): x is string => typeof x === 'string')
    .concat(Array.isArray(r['controls']) ? (r['controls'] as string[]) : []);
}

function notesText(t: TablePlan | undefined, lang: string): string {
  return (t?.spec.notes ?? []).map((x) => localize(x, lang)).join('\n');
}

const CLUSTER_WORDS = /cluster|聚类/i;

export function reviewWarnings(oldPlan: Plan, newPlan: Plan, diff: SpecDiff): ReviewWarning[] {
  const out: ReviewWarning[] = [];
  const modelIn = (p: Plan, id: string) => p.models.find((m) => m.id === id);
  for (const t of newPlan.tables) {
    const before = oldPlan.tables.find((x) => x.id === t.id);
    const keep = t.spec.keep;
    // 1. A regressor added to a column's model that the table's keep list does not show.
    if (keep && keep.length > 0) {
      for (const id of new Set(t.models)) {
        const added = termsOf(modelIn(newPlan, id)).filter((x) => !termsOf(modelIn(oldPlan, id)).includes(x));
        for (const term of added) {
          if (!keep.includes(term))
            out.push({
              code: 'keep-hidden',
              table: t.id,
              message: `${term}, added to model ${id}, is not shown: table ${t.id}'s keep list does not name it`,
            });
        }
      }
    }
    // 2. The variance or the sample of a column changed, the table's notes did not.
    const sameNotes =
      before !== undefined &&
      notesText(before, oldPlan.lang) === notesText(t, newPlan.lang) &&
      notesText(t, newPlan.lang) !== '';
    for (const c of diff.models.changed) {
      if (!t.models.includes(c.id)) continue;
      for (const check of c.checks) {
        if (sameNotes && check.check === 'vcov')
          out.push({
            code: 'note-variance',
            table: t.id,
            message: `the variance of ${c.id} changed (${check.detail.replace(/^vcov: /, '')}) but table ${t.id}'s notes did not: do they still describe the standard errors?`,
          });
        if (sameNotes && check.check === 'sample')
          out.push({
            code: 'note-sample',
            table: t.id,
            message: `the sample of ${c.id} changed (${check.detail.replace(/^sample: /, '')}) but table ${t.id}'s notes did not: do they still describe the sample?`,
          });
      }
    }
    // 3. A note speaking of clustering over a table none of whose columns clusters.
    const text = notesText(t, newPlan.lang);
    const clusters = t.models.some((id) => {
      const v = (modelIn(newPlan, id) as unknown as { vcov?: { type?: string } } | undefined)?.vcov;
      return v?.type === 'cluster';
    });
    if (CLUSTER_WORDS.test(text) && !clusters && t.layout === 'regression') {
      out.push({
        code: 'note-cluster',
        table: t.id,
        message: `table ${t.id}'s notes speak of clustered standard errors, but none of its columns clusters`,
      });
    }
    // 4. Labels that named a term of the table before the change and name none after it.
    if (before) {
      const termsBefore = new Set(before.models.flatMap((id) => termsOf(modelIn(oldPlan, id))));
      const termsAfter = new Set(t.models.flatMap((id) => termsOf(modelIn(newPlan, id))));
      for (const key of Object.keys(t.spec.labels)) {
        if (termsBefore.has(key) && !termsAfter.has(key)) {
          const fresh = [...termsAfter].filter((x) => !termsBefore.has(x));
          out.push({
            code: 'label-orphaned',
            table: t.id,
            message: `the label of ${key} no longer matches a term of table ${t.id}${fresh.length ? ` (${suggest(key, fresh, 'new term')})` : ''}`,
          });
        }
      }
    }
  }
  return out;
}

export function formatReviewWarnings(ws: readonly ReviewWarning[], format: 'text' | 'md'): string {
  if (ws.length === 0) return '';
  if (format === 'md')
    return (
      ['', '**Review warnings:**', '', ...ws.map((w) => `- ⚠ ${w.message.replace(/\|/g, '\\|')}`), ''].join('\n') + '\n'
    );
  return ['review warnings:', ...ws.map((w) => `  ! ${w.message}`)].join('\n') + '\n';
}
