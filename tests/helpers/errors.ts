/** The SpecrunError a call throws (any other outcome fails the test). */
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';

export function errorOf(f: () => unknown): SpecrunError {
  try {
    f();
  } catch (e) {
    if (e instanceof SpecrunError) return e;
    throw e;
  }
  throw new Error('expected a SpecrunError');
}

export async function errorOfAsync(f: () => Promise<unknown>): Promise<SpecrunError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof SpecrunError) return e;
    throw e;
  }
  throw new Error('expected a SpecrunError');
}
