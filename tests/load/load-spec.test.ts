import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../engine/load/load-spec.js';
import { deepMerge } from '../../engine/load/merge.js';

function fromFiles(files: Record<string, string>) {
  return (p: string) => {
    const key = p.replace(/^\/virtual\//, '');
    if (!(key in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return files[key]!;
  };
}

describe('deepMerge', () => {
  it('merges maps deeply, replaces lists, deletes on null', () => {
    const base = { a: { x: 1, y: [1, 2] }, b: 2, c: { d: 1 } };
    const over = { a: { y: [3], z: 4 }, c: null };
    expect(deepMerge(base, over)).toEqual({ a: { x: 1, y: [3], z: 4 }, b: 2 });
  });
  it('does not let __proto__ keys through', () => {
    const merged = deepMerge({}, JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(merged['a']).toBe(1);
  });
});

describe('loadSpec', () => {
  it('resolves an extends chain and reports positions from the layer that wrote each value', () => {
    const read = fromFiles({
      'base.yaml': 'data:\n  source: d.csv\n  unit: id\nmodels:\n  m1:\n    formula: y ~ x\n',
      'child.yaml': 'extends: ./base.yaml\nmodels:\n  m1:\n    vcov: hc1\n',
    });
    const r = loadSpec('child.yaml', '/virtual', read);
    expect(r.diagnostics).toEqual([]);
    const spec = r.spec!;
    expect(spec.value).toEqual({
      data: { source: 'd.csv', unit: 'id' },
      models: { m1: { formula: 'y ~ x', vcov: 'hc1' } },
    });
    expect(spec.locate(['models', 'm1', 'vcov'])).toMatchObject({ file: 'child.yaml', line: 4, col: 11 });
    expect(spec.locate(['models', 'm1', 'formula'])).toMatchObject({ file: 'base.yaml', line: 6, col: 14 });
    expect(spec.locateKey(['data', 'unit'])).toMatchObject({ file: 'base.yaml', line: 3, col: 3 });
  });

  it('applies several bases in order and lets null remove an inherited key', () => {
    const read = fromFiles({
      'a.yaml': 'tables:\n  t1: { columns: [m] }\nmodels:\n  m: { formula: y ~ x }\n',
      'b.yaml': 'tables:\n  t2: { columns: [m] }\n',
      'c.yaml': 'extends: [./a.yaml, ./b.yaml]\ntables:\n  t1: null\n',
    });
    const r = loadSpec('c.yaml', '/virtual', read);
    expect(Object.keys(r.spec!.value['tables'] as object)).toEqual(['t2']);
  });

  it('reports an extends cycle at the extends line', () => {
    const read = fromFiles({ 'a.yaml': 'extends: ./b.yaml\n', 'b.yaml': 'title: x\nextends: ./a.yaml\n' });
    const r = loadSpec('a.yaml', '/virtual', read);
    expect(r.spec).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({ code: 'EXTENDS_CYCLE', file: 'b.yaml', line: 2, col: 10 });
  });

  it('reports YAML syntax errors and duplicate keys with line:col', () => {
    const read = fromFiles({ 'bad.yaml': 'models:\n  m: { formula: y ~ x\n', 'dup.yaml': 'title: a\ntitle: b\n' });
    expect(loadSpec('bad.yaml', '/virtual', read).diagnostics[0]).toMatchObject({ code: 'YAML_SYNTAX', line: 3 });
    expect(loadSpec('dup.yaml', '/virtual', read).diagnostics[0]).toMatchObject({
      code: 'YAML_DUPLICATE_KEY',
      line: 2,
      col: 1,
    });
  });

  it('reports a missing file and a non-mapping document', () => {
    const read = fromFiles({ 'list.yaml': '- a\n- b\n' });
    expect(loadSpec('nope.yaml', '/virtual', read).diagnostics[0]!.code).toBe('FILE_NOT_FOUND');
    expect(loadSpec('list.yaml', '/virtual', read).diagnostics[0]!.code).toBe('YAML_NOT_MAP');
  });
});
