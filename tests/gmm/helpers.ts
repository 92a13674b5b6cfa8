/** Shared fixtures for the GMM tests: the empluk panel as EstimationData, and GmmPlan builders. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Frame } from '../../engine/core/frame.js';
import type { EstimationData } from '../../engine/estimate/types.js';
import type { GmmPlan, Term } from '../../engine/normalize/plan.js';

const EMPLUK = fileURLToPath(new URL('../fixtures/data/empluk.csv', import.meta.url));

export interface PanelRows {
  readonly unit: number[];
  readonly time: number[];
  readonly columns: Record<string, number[]>;
}

/** empluk (Arellano–Bond 1991) with n = log(emp), w = log(wage), k = log(capital), ys = log(output). */
export function empluk(keep: (firm: number, year: number) => boolean = () => true): PanelRows {
  const lines = readFileSync(EMPLUK, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',').map((h) => h.replace(/"/g, ''));
  const at = (name: string): number => header.indexOf(name);
  const rows: PanelRows = { unit: [], time: [], columns: { n: [], w: [], k: [], ys: [] } };
  for (const line of lines.slice(1)) {
    const f = line.split(',').map(Number);
    const firm = f[at('firm')]!;
    const year = f[at('year')]!;
    if (!keep(firm, year)) continue;
    rows.unit.push(firm);
    rows.time.push(year);
    rows.columns.n!.push(Math.log(f[at('emp')]!));
    rows.columns.w!.push(Math.log(f[at('wage')]!));
    rows.columns.k!.push(Math.log(f[at('capital')]!));
    rows.columns.ys!.push(Math.log(f[at('output')]!));
  }
  return rows;
}

/** EstimationData from rows; unit labels are coded 0..G−1 in order of first appearance. */
export function estimationData(rows: PanelRows): EstimationData {
  const codes = new Map<number, number>();
  const unit = Int32Array.from(rows.unit, (u) => {
    let c = codes.get(u);
    if (c === undefined) {
      c = codes.size;
      codes.set(u, c);
    }
    return c;
  });
  const frame = new Frame(
    rows.unit.length,
    Object.entries(rows.columns).map(([name, v]) => [name, Float64Array.from(v)] as [string, Float64Array]),
  );
  return { frame, unit, time: Float64Array.from(rows.time) };
}

/** `lag(x, a:b)` → its terms, named as the normalizer names them. */
export function lags(variable: string, from: number, to = from): Term[] {
  const out: Term[] = [];
  for (let k = from; k <= to; k++) out.push({ name: k === 0 ? variable : `lag(${variable},${k})`, variable, lag: k });
  return out;
}

export function gmmPlan(
  p: Partial<GmmPlan> & Pick<GmmPlan, 'estimator' | 'dependent' | 'regressors' | 'instruments'>,
): GmmPlan {
  return {
    id: 'test',
    label: null,
    sample: null,
    source: { file: 'test.yaml', path: 'models.test', line: 1, col: 1 },
    iv: [],
    steps: 2,
    collapse: false,
    effect: 'twoways',
    constant: true,
    transform: 'fd',
    small: false,
    levelsLag: 'xtabond2',
    ...p,
  };
}

/** REFERENCE.md model A: n ~ lag(n, 1:2) + lag(w, 0:1) + k + lag(ys, 0:1), GMM instruments lag(n, 2:99). */
export const modelA = {
  dependent: 'n',
  regressors: [...lags('n', 1, 2), ...lags('w', 0, 1), ...lags('k', 0), ...lags('ys', 0, 1)],
  instruments: [{ variable: 'n', from: 2, to: 99 }],
};

/** REFERENCE.md model B: n ~ lag(n, 1) + lag(w, 0:1) + lag(k, 0:1), GMM lag(n, 2:99) + lag(w, 2:99) + lag(k, 2:99). */
export const modelB = {
  dependent: 'n',
  regressors: [...lags('n', 1), ...lags('w', 0, 1), ...lags('k', 0, 1)],
  instruments: ['n', 'w', 'k'].map((variable) => ({ variable, from: 2, to: 99 })),
};

/** Blundell–Bond (1998) table 4 as in plm's tests: model B with w instrumented from lag 3. */
export const modelL = {
  dependent: 'n',
  regressors: [...lags('n', 1), ...lags('w', 0, 1), ...lags('k', 0, 1)],
  instruments: [
    { variable: 'n', from: 2, to: 99 },
    { variable: 'w', from: 3, to: 99 },
    { variable: 'k', from: 2, to: 99 },
  ],
};

/** The gaps variant: n ~ lag(n, 1) + w + k, GMM lag(n, 2:4). */
export const modelC = {
  dependent: 'n',
  regressors: [...lags('n', 1), ...lags('w', 0), ...lags('k', 0)],
  instruments: [{ variable: 'n', from: 2, to: 4 }],
};

/** n ~ lag(n, 1) + w + k, GMM lag(n, 2:99); the tests add ys as an IV-style instrument. */
export const modelE = {
  dependent: 'n',
  regressors: [...lags('n', 1), ...lags('w', 0), ...lags('k', 0)],
  instruments: [{ variable: 'n', from: 2, to: 99 }],
};

/** The rows the parity script drops to make gaps: every 7th firm's 1980 row and every 11th firm's 1979 row. */
export const withGaps = (firm: number, year: number): boolean =>
  !((firm % 7 === 0 && year === 1980) || (firm % 11 === 0 && year === 1979));
