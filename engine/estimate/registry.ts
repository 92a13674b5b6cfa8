/**
 * The estimators, by kind. Adding an estimator is one folder (engine/estimate/KIND/: spec.ts with its user-tier type,
 * index.ts with its module) and one line in BUILTIN_ESTIMATORS. Every stage reaches an estimator only through a
 * registry (normalize, validate, prepare, fingerprint, diff, render), so a kind no module claims is reported
 * (UNKNOWN_ESTIMATOR), never dropped. A registry is a value: a run receives one in its RunContext, and a test or an
 * embedding program may run with more modules (`builtinEstimators().with(toy)`).
 */
import type { ModelPlan } from '../normalize/plan.js';
import { diffGmmEstimator, sysGmmEstimator } from './gmm/index.js';
import { ivEstimator } from './iv/index.js';
import { mediationEstimator } from './mediation/index.js';
import { olsEstimator } from './ols/index.js';
import { rankSizeEstimator } from './ranksize/index.js';
import { logitEstimator, poissonEstimator, probitEstimator } from './glm/index.js';
import { thresholdEstimator } from './threshold/index.js';
import { tobitEstimator } from './tobit/index.js';
import { describeEstimator } from './describe/index.js';
import { correlationEstimator } from './correlation/index.js';
import type { AnyEstimator, Estimator } from './types.js';

/** The built-in modules, in the order their kinds are listed to users. */
const BUILTIN_ESTIMATORS: readonly AnyEstimator[] = [
  olsEstimator,
  ivEstimator,
  sysGmmEstimator,
  diffGmmEstimator,
  mediationEstimator,
  rankSizeEstimator,
  poissonEstimator,
  logitEstimator,
  probitEstimator,
  tobitEstimator,
  thresholdEstimator,
  describeEstimator,
  correlationEstimator,
];

export class EstimatorRegistry {
  private readonly byKind = new Map<string, AnyEstimator>();

  constructor(modules: readonly AnyEstimator[]) {
    for (const m of modules) {
      if (this.byKind.has(m.kind)) throw new Error(`estimator kind ${m.kind} registered twice`);
      this.byKind.set(m.kind, m);
    }
  }

  /** A registry with these modules added (a kind already registered is an error, not an override). */
  with(...modules: readonly AnyEstimator[]): EstimatorRegistry {
    return new EstimatorRegistry([...this.byKind.values(), ...modules]);
  }

  /** The module of `kind`, or undefined when none is registered (the caller reports UNKNOWN_ESTIMATOR). */
  find(kind: string): AnyEstimator | undefined {
    return this.byKind.get(kind);
  }

  /** The module of a plan's kind. A plan exists only for a registered kind, so a miss is an internal error. */
  of<P extends ModelPlan>(plan: P): Estimator<P> {
    const m = this.byKind.get(plan.estimator);
    if (!m) throw new Error(`no estimator module for kind ${plan.estimator} (model ${plan.id})`);
    return m as Estimator<P>;
  }

  get kinds(): string[] {
    return [...this.byKind.keys()];
  }

  get modules(): AnyEstimator[] {
    return [...this.byKind.values()];
  }
}

/** A registry of the built-in estimators. */
export function builtinEstimators(): EstimatorRegistry {
  return new EstimatorRegistry(BUILTIN_ESTIMATORS);
}
