/**
 * Figures (engine/figures): the event-study figure of specs/examples/did.yaml as a committed SVG golden (the bytes
 * must not change without review: `npm run golden:update`), written with its Vega-Lite spec.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../helpers/golden.js';
import { runFiles } from '../helpers/pipeline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('event-study figure', () => {
  it("renders did.yaml's figure to the committed SVG, the same bytes on every run", async () => {
    const a = await runFiles([join(root, 'specs/examples/did.yaml')], root);
    const b = await runFiles([join(root, 'specs/examples/did.yaml')], root);
    expect(a.errors).toEqual([]);
    const svg = a.files.find((f) => f.path.endsWith('did_event_study.svg'))!;
    expect(svg).toBeDefined();
    expect(b.files.find((f) => f.path.endsWith('did_event_study.svg'))!.data).toBe(svg.data);
    expect(a.files.map((f) => f.path)).toContain(join('out', 'did_event_study.vl.json'));
    expectGolden(join(root, 'tests/golden/figures/did_event_study.svg'), svg.data as string);
  });
});
