/**
 * User-tier specs of the transforms: derived variables computed by a named procedure rather than an expression.
 * Each is a single-key mapping (`{ pim: {...} }`), so a variable's kind reads at a glance in YAML.
 */

/** Perpetual-inventory capital stock: K_t = (1−δ) K_{t−1} + I_t / P_t. */
export interface PimTransform {
  pim: {
    /** Nominal investment column. */
    investment: string;
    /** Investment price index column (base = 1 or 100 at the base year, see `index_base`). */
    price_index?: string;
    /** Depreciation rate δ. Give this or `service_lives`. */
    depreciation?: number;
    /** Derive δ from asset service lives: `{ life: years, share: weight }` list, geometric with residual value. */
    service_lives?: { life: number; share: number }[];
    /** Residual value share used with `service_lives`. __Default value:__ 0.04 */
    residual?: number;
    /** Initial stock rule: `growth` (K_0 = I_0/(g+δ), g the mean growth of real investment over `growth_years`). */
    initial?: 'growth';
    /** Years of investment growth averaged for the initial stock. __Default value:__ 5 */
    growth_years?: number;
  };
}

/** Nominal → real at a base period, by a price index column; optionally converted by a rate column first. */
export interface DeflateTransform {
  deflate: {
    value: string;
    /** Price index column, chained or fixed-base. */
    index: string;
    /** `fixed` (index already relative to one base) or `chained` (index is the year-on-year change, previous = 100). */
    index_type?: 'fixed' | 'chained';
    /** Base period. __Default value:__ the first period. */
    base?: number;
    /** Multiply by this column before deflating (a currency rate). */
    rate?: string;
  };
}

/** Currency conversion by a rate column: value × rate (× factor). */
export interface ConvertTransform {
  convert: { value: string; rate: string; factor?: number };
}

/** Specialisation (division of labour) index over a group and a role column. */
export interface SpecializationTransform {
  specialization: {
    /** Group column (an agglomeration). */
    group: string;
    /** Role column: 1 for reference (central) units, 0 otherwise. */
    role: string;
    /** Sector columns of the first kind (producer services). */
    services: string[];
    /** Sector columns of the second kind (manufacturing). */
    manufacturing: string[];
  };
}

/** A unit's value minus the mean of the reference units of its group in the same period. */
export interface GapTransform {
  gap: {
    value: string;
    group: string;
    /** 1 marks a reference unit. */
    reference: string;
    /** `unit_minus_reference` or `reference_minus_unit`. __Default value:__ `reference_minus_unit` */
    sign?: 'unit_minus_reference' | 'reference_minus_unit';
  };
}

/** Green TFP: Tone's slacks-based measure with undesirable outputs. */
export interface SbmTransform {
  sbm: {
    inputs: string[];
    desirable: string[];
    undesirable?: string[];
    /** __Default value:__ `crs` */
    rts?: 'crs' | 'vrs';
    /** One frontier per period, pooled, or sequential (all periods up to t). __Default value:__ `year` */
    frontier?: 'year' | 'global' | 'sequential';
    /** Super-efficiency SBM for efficient units (Tone 2002). __Default value:__ false */
    super?: boolean;
    /** Rule for non-positive data: `na` (unit missing) or `dear` (zero outputs → min positive / 100). __Default value:__ `na` */
    nonpositive?: 'na' | 'dear';
    /** Also write slack columns `NAME_slack_VAR` and the reference set `NAME_peers`. __Default value:__ false */
    details?: boolean;
  };
}

/** Rank-size index per group and period, as columns: q, the group's structure and a "central by rank-size" flag. */
export interface RankSizeTransform {
  ranksize: {
    size: string;
    group: string;
    /** What to return: `q`, `polycentric` (1 when q < threshold), `centres` (number of centres), `central` (unit is one of its group's centres). */
    output: 'q' | 'polycentric' | 'centres' | 'central';
    /** The period whose structure is used for all periods (e.g. the last). __Default value:__ each period its own. */
    period?: number;
    /** __Default value:__ 0.5 */
    threshold?: number;
  };
}

export type TransformVariable =
  | PimTransform
  | DeflateTransform
  | ConvertTransform
  | SpecializationTransform
  | GapTransform
  | SbmTransform
  | RankSizeTransform;

export type TransformKind = 'pim' | 'deflate' | 'convert' | 'specialization' | 'gap' | 'sbm' | 'ranksize';
