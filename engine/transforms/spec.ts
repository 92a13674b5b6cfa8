/**
 * User-tier specs of the transforms: derived variables computed by a named procedure rather than an expression.
 * Each is a single-key mapping (`{ pim: {...} }`), so a variable's kind reads at a glance in YAML.
 */

/** Defaults of the transforms' keys, by transform (each stated in a `__Default value:__` line below). */
export const TRANSFORM_DEFAULTS = {
  pim: { index_type: 'fixed', index_scale: 100, residual: 0.04, initial: 'growth', growth_years: 5 },
  deflate: { index_type: 'fixed', index_scale: 100 },
  convert: { factor: 1 },
  gap: { sign: 'reference_minus_unit', missing_reference: 'na' },
  sbm: { rts: 'crs', frontier: 'year', super: false, nonpositive: 'na', details: false, tolerance: 1e-9 },
  ranksize: { threshold: 0.5, intercept: 'free' },
} as const;

/** The transforms' options with their defaults filled (engine/normalize): what each `compute` receives. */
type WithDefaults<S, D> = Omit<S, keyof D> & { readonly [K in keyof D & keyof S]-?: Exclude<S[K], undefined> };
type T = typeof TRANSFORM_DEFAULTS;
export type NormalizedPim = { pim: WithDefaults<PimTransform['pim'], T['pim']> };
export type NormalizedDeflate = { deflate: WithDefaults<DeflateTransform['deflate'], T['deflate']> };
export type NormalizedConvert = { convert: WithDefaults<ConvertTransform['convert'], T['convert']> };
export type NormalizedGap = { gap: WithDefaults<GapTransform['gap'], T['gap']> };
export type NormalizedSbm = WithDefaults<SbmTransform['sbm'], T['sbm']>;
export type NormalizedRankSize = WithDefaults<RankSizeTransform['ranksize'], T['ranksize']>;

/**
 * Perpetual-inventory capital stock, per unit in time order:
 * K_t = (1−δ) K_{t−1} + I_t / P_t, and in the unit's first period K_0 = (I_0/P_0) / (g + δ), with g the geometric
 * mean growth of real investment over the first `growth_years` steps: g = (I_h/P_h ÷ I_0/P_0)^(1/h) − 1.
 * With `service_lives`, δ = Σ_j w_j (1 − R^(1/T_j)): geometric depreciation that leaves the residual share R of an
 * asset after its service life T_j, averaged with the weights w_j (normalised to sum to 1).
 * With `initial_stock`, K_0 = stock_0 / P_0 from that column instead of the growth rule.
 */
export interface PimTransform {
  pim: {
    /** Nominal investment column. */
    investment: string;
    /** Investment price index column. __Default value:__ none (investment is already real). */
    price_index?: string;
    /** Kind of the price index: `fixed` (any base) or `chained` (previous period = `index_scale`). __Default value:__ `fixed` */
    index_type?: 'fixed' | 'chained';
    /** Base period of the real values. __Default value:__ the first period of the panel. */
    base?: number;
    /** Value of a chained index meaning "no change". __Default value:__ 100 */
    index_scale?: number;
    /** Depreciation rate δ. Give this or `service_lives`. */
    depreciation?: number;
    /** Derive δ from asset service lives: `{ life: years, share: weight }` list, geometric with residual value. */
    service_lives?: { life: number; share: number }[];
    /** Residual value share used with `service_lives`. __Default value:__ 0.04 */
    residual?: number;
    /** Initial stock rule: `growth` (K_0 = I_0/(g+δ), g the mean growth of real investment over `growth_years`). __Default value:__ `growth` */
    initial?: 'growth';
    /**
     * A column holding the capital stock of the unit's first period (e.g. the original value of fixed assets,
     * 固定资产原值): K_0 = stock_0 / P_0 instead of the growth rule; later periods of the column are not read.
     * __Default value:__ none (the growth rule)
     */
    initial_stock?: string;
    /** Years of investment growth averaged for the initial stock. __Default value:__ 5 */
    growth_years?: number;
  };
}

/**
 * Nominal → real at a base period: value (× rate) / P_t, with P_t the price level relative to the base period
 * (P_base = 1) built from a fixed-base index (I_t / I_base, the unit's own index) or a chained one (the product of
 * the changes c/scale between the base and t).
 */
export interface DeflateTransform {
  deflate: {
    /** Nominal value column. */
    value: string;
    /** Price index column, chained or fixed-base. */
    index: string;
    /** `fixed` (index relative to one base, any scale) or `chained` (the change on the previous period, previous = `index_scale`). __Default value:__ `fixed` */
    index_type?: 'fixed' | 'chained';
    /** Base period. __Default value:__ the first period. */
    base?: number;
    /** Value of a chained index meaning "no change". __Default value:__ 100 */
    index_scale?: number;
    /** Multiply by this column before deflating (a currency rate). */
    rate?: string;
  };
}

/** Currency conversion by a rate column: value × rate × factor (e.g. 万美元 × 元/美元 → 万元). */
export interface ConvertTransform {
  convert: {
    /** Value column in the original currency. */
    value: string;
    /** Rate column (units of the target currency per unit of the value's currency). */
    rate: string;
    /** Extra constant factor (a unit change). __Default value:__ 1 */
    factor?: number;
  };
}

/**
 * Specialisation (division of labour) index over a group and a role column, per group and period. With L_s and L_m
 * a unit's employment summed over the `services` and the `manufacturing` columns and L_S, L_M the same sums over all
 * units of its group in the period: reference (central) units (L_s/L_m)/(L_S/L_M), the others (L_m/L_s)/(L_M/L_S).
 */
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

/**
 * A unit's value minus the mean of the reference units of its group in the same period (or the reverse). Reference
 * units get a gap too (to the mean of all reference units of their group, 0 in a group with one).
 */
export interface GapTransform {
  gap: {
    /** The column compared (e.g. ln green TFP). */
    value: string;
    /** Group column (an agglomeration). */
    group: string;
    /** 1 marks a reference unit. */
    reference: string;
    /** `unit_minus_reference` or `reference_minus_unit`. __Default value:__ `reference_minus_unit` */
    sign?: 'unit_minus_reference' | 'reference_minus_unit';
    /**
     * A reference unit without a value: `na` sets the group-period missing, `skip` averages the reference units
     * that have one. Both are counted in the notes. __Default value:__ `na`
     */
    missing_reference?: 'na' | 'skip';
  };
}

/** Green TFP: Tone's slacks-based measure with undesirable outputs. */
export interface SbmTransform {
  sbm: {
    /** Input columns (labour, capital). */
    inputs: string[];
    /** Desirable output columns (real GDP). */
    desirable: string[];
    /** Undesirable output columns (industrial SO2). */
    undesirable?: string[];
    /** __Default value:__ `crs` */
    rts?: 'crs' | 'vrs';
    /** One frontier per period, pooled, or sequential (all periods up to t). __Default value:__ `year` */
    frontier?: 'year' | 'global' | 'sequential';
    /**
     * Super-efficiency SBM for the efficient units (Tone 2002, with the undesirable outputs kept: an increase of a bad
     * output counts like a decrease of a good one). Inefficient units keep their SBM score. __Default value:__ false
     */
    super?: boolean;
    /**
     * Rule for non-positive data: `na` (any value ≤ 0 makes the unit's score missing, counted in the notes) or `dear`
     * (deaR's rule: a zero output, good or bad, becomes the smallest positive value of that output in the frontier
     * divided by 100; a zero input drops out of that unit's input term; negative values stay missing).
     * __Default value:__ `na`
     */
    nonpositive?: 'na' | 'dear';
    /** Also write slack columns `NAME_slack_VAR` and the reference set `NAME_peers`. __Default value:__ false */
    details?: boolean;
    /** An SBM score ≥ 1 − tolerance counts as efficient (for `super`). __Default value:__ 1e-9 */
    tolerance?: number;
  };
}

/** Rank-size index per group and period, as columns: q, the group's structure and a "central by rank-size" flag. */
export interface RankSizeTransform {
  ranksize: {
    /** Size column (population). */
    size: string;
    /** Group column (an agglomeration). */
    group: string;
    /** What to return: `q`, `polycentric` (1 when q < threshold), `centres` (number of centres), `central` (unit is one of its group's centres). */
    output: 'q' | 'polycentric' | 'centres' | 'central';
    /** The period whose structure is used for all periods (e.g. the last). __Default value:__ each period its own. */
    period?: number;
    /** __Default value:__ 0.5 */
    threshold?: number;
    /**
     * The intercept C: `free` (estimated with q by OLS) or `largest` (fixed at the log size of the group's largest
     * unit). __Default value:__ `free`
     */
    intercept?: 'free' | 'largest';
  };
}
