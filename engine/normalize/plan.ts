/**
 * The normalized tier: one explicit plan with no shorthands and every default filled in. Each model is a frozen
 * record with a stable id (`table1/central` when specs are run together, else the model key) and is hashable.
 */
import type { SourcePosition } from '../diagnostics/diagnostic.js';
import type {
  LocalizedText,
  VariableSpec,
  TableColumn,
  TableGroup,
  TableIndicator,
  TablePanel,
  TableRow,
  TableSpec,
} from '../spec/types.js';
import type { CoefPlotFigure, EventStudyFigure, FigureSpec, SpecCurveFigure } from '../spec/figures.js';
import type { NormalizedDataSpec } from './data-defaults.js';

/** A regressor as written: `lag(n, 2)` → { name: 'lag(n,2)', variable: 'n', lag: 2 }; lag 0 is the variable itself. */
export interface Term {
  readonly kind?: 'var';
  readonly name: string;
  readonly variable: string;
  readonly lag: number;
}

/** `x:z` (and the interaction of `x*z`): the product of columns or lags, named as written (`x:lag(z,1)`). */
export interface ProductTerm {
  readonly kind: 'product';
  readonly name: string;
  readonly parts: readonly Term[];
}

/**
 * `i(f)`, `i(f, ref = v)`, `i(period, treat, ref = -1)`: one dummy per level of `factor` (times `with`), named
 * `f::v` (`period::3:treat`), leaving out the `ref` levels (null: the first level).
 */
export interface FactorTerm {
  readonly kind: 'i';
  /** The term as written, without spaces (for diffs and diagnostics). */
  readonly name: string;
  readonly factor: string;
  readonly with: Term | null;
  readonly ref: readonly (number | string)[] | null;
}

/** `sunab(cohort, period)`: Sun & Abraham (2021) cohort × relative-period dummies, aggregated per relative period. */
export interface SunabTerm {
  readonly kind: 'sunab';
  readonly name: string;
  readonly cohort: string;
  readonly period: string;
  /** Relative periods left out (fixest's ref.p; default −1). */
  readonly refPeriod: readonly number[];
}

/** A right-hand term of a linear model. */
export type RhsTerm = Term | ProductTerm | FactorTerm | SunabTerm;

export interface SmallSample {
  readonly adj: boolean;
  readonly fixef_k: 'none' | 'nested' | 'full';
  readonly cluster_adj: boolean;
}

export interface VcovPlan {
  readonly type: 'iid' | 'hc1' | 'cluster';
  /** Cluster variables (empty unless type is cluster). */
  readonly cluster: readonly string[];
  readonly ssc: SmallSample;
}

export interface SamplePlan {
  /** The sample's name, or `inline` for an expression written in the model. */
  readonly name: string;
  readonly expr: string;
  /** For a sample narrowed by `split:` or `leave_one_out:` (engine/normalize/expand-models.ts): what narrowed it. */
  readonly narrowed?: NarrowedSample;
}

/** A model's sample narrowed to one value of a column (`split`) or to every row but one value's (`leave_one_out`). */
export interface NarrowedSample {
  readonly by: 'split' | 'loo';
  readonly column: string;
  readonly value: string | number;
  /** The sample before narrowing (null: every row). */
  readonly base: SamplePlan | null;
  /** Where the split or leave_one_out key is written. */
  readonly source: SourcePosition;
}

/**
 * The fields every model plan has, whatever its estimator; each estimator module (engine/estimate/KIND/) adds its
 * own fields and is the only code that reads them.
 */
export interface ModelPlanBase {
  /** The kind: the key of the estimator module in the registry. */
  readonly estimator: string;
  readonly id: string;
  readonly label: LocalizedText | null;
  readonly sample: SamplePlan | null;
  readonly source: SourcePosition;
  /**
   * The YAML path of the mapping the model was written as, when its id is not its key under `models:` (a model
   * expanded by multiple estimation, `fe_all[csw=2]`, or by a grid): diagnostics point there.
   */
  readonly written?: readonly (string | number)[];
  /** The choices that made an expanded model (`{ csw: '2', split: '京津冀' }`); absent for a model written as is. */
  readonly choices?: Readonly<Record<string, string>>;
}

/** The YAML path of a model's mapping: `['models', id]` unless it was expanded from another (`written`). */
export function modelPath(m: ModelPlanBase): (string | number)[] {
  return m.written ? [...m.written] : ['models', m.id];
}

export interface OlsPlan extends ModelPlanBase {
  readonly estimator: 'ols';
  readonly dependent: Term;
  readonly regressors: readonly RhsTerm[];
  readonly fixedEffects: readonly string[];
  /** Analytic weights (a column), as fixest's `weights =`; absent or null: unweighted. */
  readonly weights?: string | null;
  /** Singleton groups of the fixed effects: dropped (reghdfe; absent means drop) or kept (fixest's default). */
  readonly singletons?: 'drop' | 'keep';
  /** The wild cluster bootstrap of `inference.wild` (absent: none). */
  readonly wild?: WildPlan | null;
  /** A constant is estimated only when there are no fixed effects. */
  readonly intercept: boolean;
  /** With fixed effects: also report Stata's constant (ȳ − x̄'β), as `xtreg, fe` and `reghdfe` do. */
  readonly constant: boolean;
  readonly vcov: VcovPlan;
}

/** `inference: { wild: … }`: the restricted wild cluster bootstrap (WCR) of single coefficients, as boottest. */
export interface WildPlan {
  readonly reps: number;
  readonly weights: 'rademacher' | 'webb';
  readonly seed: number;
  /** Coefficients to test (H0: β = 0), by name. */
  readonly terms: readonly string[];
  /** Confidence level of the bootstrap intervals. */
  readonly level: number;
}

/**
 * Linear IV (2SLS) with absorbed fixed effects: `y ~ exog | fe | endog ~ inst`. The first stages regress each
 * endogenous variable on the exogenous regressors and the instruments.
 */
export interface IvPlan extends Omit<OlsPlan, 'estimator' | 'constant' | 'wild'> {
  readonly estimator: 'iv';
  readonly endogenous: readonly Term[];
  readonly instruments: readonly Term[];
}

export interface GmmInstrumentPlan {
  readonly variable: string;
  readonly from: number;
  readonly to: number;
}

export interface GmmPlan extends ModelPlanBase {
  readonly estimator: 'sysgmm' | 'diffgmm';
  /** The dependent variable (a column name). */
  readonly dependent: string;
  /** Right-hand terms in formula order (the lagged dependent variable among them). */
  readonly regressors: readonly Term[];
  readonly instruments: readonly GmmInstrumentPlan[];
  readonly iv: readonly string[];
  readonly steps: 1 | 2;
  readonly collapse: boolean;
  readonly effect: 'twoways' | 'individual';
  /** System GMM: estimate a constant (xtabond2's default; `false` is its `noconstant`). Difference GMM ignores it. */
  readonly constant: boolean;
  /** `fd` first differences, `fod` forward orthogonal deviations. */
  readonly transform: 'fd' | 'fod';
  /** xtabond2's `small`: t and F, variance × (N − 1)/(N − K). */
  readonly small: boolean;
  /** Lag of the levels-equation GMM instruments: Δx_{t−a+1} (`xtabond2`) or Δx_{t−1} (`plm`). */
  readonly levelsLag: 'xtabond2' | 'plm';
}

export interface MediationPlan extends ModelPlanBase {
  readonly estimator: 'mediation';
  readonly treatment: string;
  readonly mediator: string;
  readonly outcome: string;
  readonly controls: readonly string[];
  readonly fixedEffects: readonly string[];
  readonly vcov: VcovPlan;
  readonly bootstrap: { readonly reps: number; readonly seed: number; readonly level: number } | null;
}

export interface RankSizePlan extends ModelPlanBase {
  readonly estimator: 'ranksize';
  readonly size: string;
  readonly group: string;
  readonly threshold: number;
  /** `free` (C estimated) or `largest` (C fixed at the log size of the group's largest unit). */
  readonly intercept: 'free' | 'largest';
}

/** The plans of the built-in estimators. */
export type BuiltinModelPlan = OlsPlan | IvPlan | GmmPlan | MediationPlan | RankSizePlan;
/** A model plan of any registered estimator: stages outside the estimator's own module see only the base fields. */
export type ModelPlan = ModelPlanBase;
/** An estimator kind: a key of the estimator registry. */
export type EstimatorKind = string;

export interface VariablePlan {
  readonly name: string;
  /**
   * The variable, normalized: an expression as written (a string, or `{ expr, label }`), a transform with its
   * module's defaults filled in its options (`{ pim: { index_type: 'fixed', … } }`), so `compute` applies none.
   */
  readonly spec: VariableSpec;
  /** The variable as written: what fingerprints hash and `specrun diff` shows. */
  readonly written: VariableSpec;
  /** Columns and variables this one reads (for ordering and for change detection). */
  readonly dependsOn: readonly string[];
  readonly source: SourcePosition;
}

/** The table layouts (engine/render/table-model.ts builds each). */
export type TableLayout = NonNullable<TableSpec['layout']>;

/** A table's spec after `extends`, the column edits and grid slices: its columns are models. */
export type ResolvedTableSpec = Omit<TableSpec, 'columns' | 'extends' | 'add_columns' | 'drop_columns'> & {
  readonly columns: (string | TableColumn)[];
};

/** The table keys that normalization always fills (engine/normalize/table-defaults.ts). */
type FilledTableKey =
  | 'digits'
  | 'stars'
  | 'under'
  | 'longtable'
  | 'fit'
  | 'numbers'
  | 'dependent'
  | 'label'
  | 'labels'
  | 'drop'
  | 'notes'
  | 'groups'
  | 'panels'
  | 'indicators'
  | 'rows'
  | 'layout';

/**
 * A table's spec, normalized: every default applied (`digits`, `stars`, `under`, `longtable`, `fit`, `numbers`,
 * `dependent`, the LaTeX `label`), every list present (empty when not written), `notes` always a list. Keys that
 * stay optional mean "not restricted" (`keep`: every term; `stats`: the layout's choice from the results;
 * `periods`: every period; `template`: the built-in one; `title`: the table id).
 */
export type NormalizedTableSpec = Omit<ResolvedTableSpec, FilledTableKey> & {
  readonly digits: number;
  readonly stars: readonly number[];
  readonly under: 'se' | 't' | 'none';
  readonly longtable: boolean;
  readonly fit: 'width' | 'none';
  readonly numbers: boolean;
  readonly dependent: boolean;
  /** LaTeX `\label{}`: `tab:ID` unless written. */
  readonly label: string;
  /** The spec's shared labels, then the table's own (which win). */
  readonly labels: { readonly [term: string]: LocalizedText };
  readonly drop: readonly string[];
  readonly notes: readonly LocalizedText[];
  readonly groups: readonly TableGroup[];
  /** Each panel with its columns (the table's own where the panel names none). */
  readonly panels: readonly (TablePanel & { readonly columns: readonly (string | TableColumn)[] })[];
  readonly indicators: readonly TableIndicator[];
  readonly rows: readonly TableRow[];
};

export interface TablePlan {
  readonly id: string;
  /** The table as the stages read it: every default applied. */
  readonly spec: NormalizedTableSpec;
  /**
   * The table's keys as written (after `extends`, the column edits, grid slices and the shared labels), before any
   * default: what the spec hash (engine/fingerprint) and `specrun diff`'s render checks compare.
   */
  readonly resolved: ResolvedTableSpec;
  /** Model ids of the columns, resolved. */
  readonly models: readonly string[];
  readonly layout: TableLayout;
  readonly source: SourcePosition;
  /** Directory of the spec file that declared the table (templates resolve from it). */
  readonly baseDir: string;
}

/** The event-study figure with its defaults applied (engine/normalize/figure-defaults.ts). */
export interface NormalizedEventStudyFigure extends EventStudyFigure {
  readonly reference: number | null;
  readonly level: number;
  readonly width: number;
  readonly height: number;
}

/** The specification curve with its defaults applied; `inference:`, when written, with its own. */
export interface NormalizedSpecCurveFigure extends Omit<SpecCurveFigure, 'inference'> {
  readonly level: number;
  readonly width: number;
  readonly height: number;
  readonly inference?: { readonly reps: number; readonly seed: number };
}

/** The coefficient plot with its defaults applied. */
export interface NormalizedCoefPlotFigure extends CoefPlotFigure {
  readonly level: number;
  readonly width: number;
}

/** A figure as the builders read it: every default of its kind applied (engine/normalize/figure-defaults.ts). */
export type NormalizedFigureSpec = NormalizedEventStudyFigure | NormalizedSpecCurveFigure | NormalizedCoefPlotFigure;

/** A figure to render (engine/figures). */
export interface FigurePlan {
  readonly id: string;
  /** The figure as the builders read it: every default applied. */
  readonly spec: NormalizedFigureSpec;
  /** The figure's keys as written. */
  readonly written: FigureSpec;
  readonly source: SourcePosition;
  /** The model ids the figure reads, resolved (a grid's models, a table's columns). */
  readonly models: readonly string[];
  /** Directory of the spec file that declared the figure (`pdf_font:` resolves from it). */
  readonly baseDir: string;
}

/** The whole plan for one spec file. */
export interface Plan {
  readonly file: string;
  readonly title: LocalizedText | null;
  readonly lang: string;
  /** The data spec, normalized (engine/normalize/data-defaults.ts), with the folders its paths resolve from. */
  readonly data: NormalizedDataSpec;
  readonly variables: readonly VariablePlan[];
  readonly samples: ReadonlyMap<string, SamplePlan>;
  readonly models: readonly ModelPlan[];
  readonly tables: readonly TablePlan[];
  /** Figures (absent: none). */
  readonly figures?: readonly FigurePlan[];
  readonly expectWarnings: readonly string[];
}
