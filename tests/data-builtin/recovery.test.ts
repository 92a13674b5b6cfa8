/**
 * Recovery: the paper's Table 1 models, run by the engine from raw columns (SBM green TFP, PIM capital,
 * specialisation index, declared fixes) on the synthetic built-in panel, recover the parameters the generator planted
 * (data/city-panel.truth.json) within two standard errors. data/README.md explains why recovery through an SBM score
 * is close but not exact.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runFiles } from '../helpers/pipeline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const truth = JSON.parse(readFileSync(join(root, 'data', 'city-panel.truth.json'), 'utf8')) as {
  efficiency: { beta: Record<string, number> };
};

describe('builtin:city-panel recovery', () => {
  it('Table 1 (all, central and non-central cities) recovers every planted coefficient within 2 SE', async () => {
    const r = await runFiles([join(root, 'specs', 'paper', 'table1.yaml')], root);
    expect(r.errors).toEqual([]);
    const results = new Map(r.runs[0]!.models.map((m) => [m.key, m.result]));
    for (const id of ['fe_all', 'fe_central', 'fe_noncentral']) {
      const res = results.get(id)!;
      for (const [term, beta] of Object.entries(truth.efficiency.beta)) {
        const c = res.coefficients[term]!;
        const z = (c.estimate - beta) / c.se!;
        expect(Math.abs(z), `${id} ${term}: ${c.estimate} (${c.se}) vs ${beta}`).toBeLessThan(2);
      }
    }
  });
});
