/**
 * Issue 13, defect 4: with `extends: [table4.yaml, my-data.yaml]` where both extend `base.yaml`, the base used to be
 * applied a second time after table4, silently reverting table4's overrides. Shared ancestors are applied once, in
 * a C3 linearization (README: "extends").
 */
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../engine/load/load-spec.js';

function fromFiles(files: Record<string, string>) {
  return (p: string) => {
    const key = p.replace(/^\/virtual\//, '');
    if (!(key in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return files[key]!;
  };
}

const FILES = {
  'base.yaml': 'data:\n  source: builtin:city-panel\nsamples:\n  centre: central == 1\nlabels:\n  x: base\n',
  'table4.yaml': 'extends: ./base.yaml\nsamples:\n  centre: rank <= 3\n',
  'my-data.yaml': 'extends: ./base.yaml\ndata:\n  source: mine.csv\n',
  'mine.yaml': 'extends: [./table4.yaml, ./my-data.yaml]\n',
};

describe('extends: a shared ancestor is applied once (defect 4)', () => {
  it('keeps the override of the first branch when the second branch shares its base', () => {
    const r = loadSpec('mine.yaml', '/virtual', fromFiles(FILES));
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.value['samples']).toEqual({ centre: 'rank <= 3' });
    expect(r.spec!.value['data']).toEqual({ source: 'mine.csv' });
    // Positions come from the layer that wrote the value; the base is one layer, listed once.
    expect(r.spec!.locate(['samples', 'centre'])).toMatchObject({ file: 'table4.yaml', line: 3 });
    expect(r.spec!.layers.map((l) => l.file)).toEqual(['mine.yaml', 'my-data.yaml', 'table4.yaml', 'base.yaml']);
  });

  it('a later base still wins over an earlier one where both write a key themselves', () => {
    const files = { ...FILES, 'my-data.yaml': 'extends: ./base.yaml\nsamples:\n  centre: mine == 1\n' };
    const r = loadSpec('mine.yaml', '/virtual', fromFiles(files));
    expect(r.spec!.value['samples']).toEqual({ centre: 'mine == 1' });
  });

  it('an order no linearization can honour is an EXTENDS_CONFLICT at the extends key', () => {
    const files = {
      'a.yaml': 'title: a\n',
      'b.yaml': 'title: b\n',
      'ab.yaml': 'extends: [./a.yaml, ./b.yaml]\n',
      'ba.yaml': 'extends: [./b.yaml, ./a.yaml]\n',
      'top.yaml': 'extends: [./ab.yaml, ./ba.yaml]\n',
    };
    const r = loadSpec('top.yaml', '/virtual', fromFiles(files));
    expect(r.spec).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.col])).toEqual([
      ['EXTENDS_CONFLICT', 'top.yaml', 1, 10],
    ]);
  });
});
