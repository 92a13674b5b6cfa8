/** The columns of a model's rows as typed arrays, for the GLM, Tobit and threshold estimators. */
import { groupCodes, type Frame } from '../../core/frame.js';
import { SpecrunError } from '../../diagnostics/diagnostic.js';

/** A numeric column (a text column is an error naming the model). */
export function numericColumn(frame: Frame, name: string, model: string): Float64Array {
  const c = frame.get(name);
  if (!c)
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: `no column ${name} in the data given to the estimator`,
      hint: 'this is a bug in specrun: the column should have been built before estimation',
    });
  if (!(c instanceof Float64Array)) {
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: `${name} is a text column and cannot be used as a number`,
      hint: 'use a numeric variable, or put a categorical variable after | as a fixed effect',
    });
  }
  return c;
}

/** Group codes of a fixed-effect or cluster column (−1 where missing), text or numeric. */
export function groupColumn(frame: Frame, name: string, model: string): Int32Array {
  const c = frame.get(name);
  if (!c)
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: `no column ${name} in the data given to the estimator`,
      hint: 'this is a bug in specrun: the column should have been built before estimation',
    });
  return groupCodes(c).codes;
}
