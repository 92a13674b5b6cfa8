/**
 * What `specrun init` learns from a data file before writing a starter spec: each column's type, missing count and
 * range, and a guess of the panel's unit and period columns with the reasons for it.
 *
 * The period guess: a numeric column of whole numbers with few distinct values that repeat (several rows per value),
 * preferred when its name reads like a period (year, 年份…) or its values look like years (1800–2200).
 * The unit guess: among the other columns, one under which every (unit, period) pair occurs once, with several rows per
 * unit, preferred when its name reads like an identifier (id, firm, city, 城市…) and when it is text.
 */
import { isText, type Column, type Frame } from '../core/frame.js';

export interface ColumnProfile {
  readonly name: string;
  readonly type: 'numeric' | 'text';
  readonly missing: number;
  readonly distinct: number;
  /** Numeric columns: whether every value is a whole number, and the range. */
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** True when every non-missing value is > 0 (a log is defined). */
  readonly positive?: boolean;
}

export interface PanelGuess {
  readonly unit: string | null;
  readonly time: string | null;
  /** One sentence per decision, for the user. */
  readonly reasons: readonly string[];
}

const TIME_NAME = /^(year|yr|years|time|period|t|wave|date|年|年份|年度|时间)$|year|年份|年度/i;
const UNIT_NAME =
  /(^id$|_id$|^id_|code|firm|company|city|county|country|province|state|region|unit|person|household|name|ticker|城市|地区|省|市|县|名称|代码|企业|公司)/i;

export function profileColumns(frame: Frame): ColumnProfile[] {
  return frame.names.map((name) => profileColumn(name, frame.get(name)!, frame.nrows));
}

function profileColumn(name: string, col: Column, n: number): ColumnProfile {
  if (isText(col)) {
    let missing = 0;
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const c = col.codes[i]!;
      if (c < 0) missing++;
      else seen.add(c);
    }
    return { name, type: 'text', missing, distinct: seen.size };
  }
  let missing = 0;
  let integer = true;
  let positive = true;
  let min = Infinity;
  let max = -Infinity;
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (Number.isNaN(v)) {
      missing++;
      continue;
    }
    seen.add(v);
    if (!Number.isInteger(v)) integer = false;
    if (!(v > 0)) positive = false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const any = missing < n;
  return {
    name,
    type: 'numeric',
    missing,
    distinct: seen.size,
    integer: any && integer,
    min: any ? min : NaN,
    max: any ? max : NaN,
    positive: any && positive,
  };
}

/** Keys of a column's cells (the code or the number), -1/NaN for missing. */
function keyOf(col: Column, i: number): number {
  return isText(col) ? col.codes[i]! : col[i]!;
}

function pairsUnique(frame: Frame, unit: string, time: string): { duplicates: number; missing: number } {
  const u = frame.get(unit)!;
  const t = frame.get(time)!;
  const seen = new Set<string>();
  let duplicates = 0;
  let missing = 0;
  for (let i = 0; i < frame.nrows; i++) {
    const a = keyOf(u, i);
    const b = keyOf(t, i);
    if (a < 0 || Number.isNaN(a) || Number.isNaN(b)) {
      missing++;
      continue;
    }
    const k = `${a}\u0000${b}`;
    if (seen.has(k)) duplicates++;
    else seen.add(k);
  }
  return { duplicates, missing };
}

export function guessPanel(frame: Frame, profiles: readonly ColumnProfile[]): PanelGuess {
  const n = frame.nrows;
  const reasons: string[] = [];
  const timeCandidates = profiles
    .filter((p) => p.type === 'numeric' && p.integer && p.distinct >= 2 && p.distinct <= Math.max(2, n / 2))
    .map((p) => {
      let score = 0;
      const why: string[] = [];
      if (TIME_NAME.test(p.name)) {
        score += 3;
        why.push('its name reads like a period');
      }
      if (p.min! >= 1800 && p.max! <= 2200) {
        score += 2;
        why.push(`its values look like years (${p.min}–${p.max})`);
      }
      why.push(
        `it holds whole numbers with ${p.distinct} distinct values, each on ${(n / p.distinct).toFixed(1)} rows on average`,
      );
      return { p, score, why };
    })
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.p.missing - b.p.missing || profiles.indexOf(a.p) - profiles.indexOf(b.p));
  const time = timeCandidates[0] ?? null;
  if (!time) {
    reasons.push(
      'no period column found (none holds repeating whole numbers named or shaped like years); the spec treats the data as a cross-section',
    );
    return { unit: null, time: null, reasons };
  }
  reasons.push(`period: '${time.p.name}', because ${time.why.join(', ')}`);
  const unitCandidates = profiles
    .filter((p) => p.name !== time.p.name && p.distinct >= 2 && p.distinct <= n / 2 && (p.type === 'text' || p.integer))
    .map((p) => {
      const { duplicates, missing } = pairsUnique(frame, p.name, time.p.name);
      let score = 0;
      const why: string[] = [];
      if (duplicates === 0) {
        score += 4;
        why.push(`each (${p.name}, ${time.p.name}) pair occurs once`);
      }
      if (UNIT_NAME.test(p.name)) {
        score += 2;
        why.push('its name reads like an identifier');
      }
      if (p.type === 'text') {
        score += 1;
        why.push('it is text');
      }
      why.push(`${p.distinct} units with ${(n / p.distinct).toFixed(1)} rows each on average`);
      return { p, score, duplicates, missing, why };
    })
    .filter((c) => c.duplicates === 0)
    .sort((a, b) => b.score - a.score || a.missing - b.missing || profiles.indexOf(a.p) - profiles.indexOf(b.p));
  const unit = unitCandidates[0] ?? null;
  if (!unit) {
    reasons.push(
      `no unit column found: no column identifies the rows of each ${time.p.name} once; the spec has a period but no unit`,
    );
    return { unit: null, time: time.p.name, reasons };
  }
  reasons.push(`unit: '${unit.p.name}', because ${unit.why.join(', ')}`);
  return { unit: unit.p.name, time: time.p.name, reasons };
}
