/** Issue 13, item 17: the golden helpers themselves must be able to fail. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden, goldenJsonDiffs } from '../helpers/golden.js';

describe('golden helpers', () => {
  it('a missing golden file fails (outside CI too) unless UPDATE_GOLDEN=1', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'golden-')), 'missing.md');
    const saved = process.env['UPDATE_GOLDEN'];
    delete process.env['UPDATE_GOLDEN'];
    try {
      expect(() => expectGolden(path, 'text')).toThrow(/missing/);
    } finally {
      if (saved !== undefined) process.env['UPDATE_GOLDEN'] = saved;
    }
  });

  it('p-values compare relatively: 2e-40 → 1e-15 is a change', () => {
    expect(goldenJsonDiffs({ p: 2e-40 }, { p: 1e-15 })).toEqual(['$.p: 2e-40 → 1e-15']);
    expect(goldenJsonDiffs({ sargan_p: 2e-40 }, { sargan_p: 1e-15 })).toHaveLength(1);
    // other numbers keep the absolute floor for values that are zero up to rounding
    expect(goldenJsonDiffs({ estimate: 1e-17 }, { estimate: -2e-17 })).toEqual([]);
  });
});
