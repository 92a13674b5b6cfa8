// The dependency rules of ARCHITECTURE.md, checked by `npm run deps` (part of `npm test`):
//   cli → (diff, lsp, init) → run → stages → core; no cycles; a stage never reaches up into run/ or a command;
//   core reaches nothing.
// tests/architecture/dependency-rules.test.ts proves that an upward import and a cycle each fail this check.
/** Lower stages first: a stage may import (values from) the stages before it, never after it. */
const STAGES = [
  'load', 'expr', 'results', 'normalize', 'validate', 'data', 'transforms', 'estimate', 'fingerprint', 'cache',
  'render', 'io',
];
/** Below every stage: anything may import these; they import only each other. */
const FOUNDATION = '^engine/(core|diagnostics|numerics|spec|version\\.ts)';

const stageOrder = STAGES.map((stage, i) => ({
  name: `stage-order-${stage}`,
  comment: `${stage}/ must not import a later stage (${STAGES.slice(i + 1).join(', ')}): data flows one way`,
  severity: 'error',
  from: { path: `^engine/${stage}/` },
  to: {
    path: `^engine/(${STAGES.slice(i + 1).join('|')})/`,
    // Naming the type of a later stage's contract (an estimator module's plan, a result) is not a dependency on it.
    dependencyTypesNot: ['type-only'],
  },
})).filter((r) => STAGES.indexOf(r.name.replace('stage-order-', '')) < STAGES.length - 1);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a cycle makes the stages one knot: break it by moving the shared part down',
      severity: 'error',
      from: { path: '^engine/' },
      // A cycle through type-only imports (a result type naming its detail type) has no load order; it is allowed.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'foundation-is-bottom',
      comment: 'core/, diagnostics/, numerics/ and spec/ sit below every stage and import none',
      severity: 'error',
      from: { path: FOUNDATION },
      to: { path: '^engine/', pathNot: FOUNDATION, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-imports-only-core',
      comment: 'core/ is the bottom: frame, panel, positions, hashing, canonical JSON, suggestions',
      severity: 'error',
      from: { path: '^engine/core/' },
      to: { path: '^engine/', pathNot: '^engine/core/' },
    },
    {
      name: 'stages-not-up-to-run-cli-diff',
      comment: 'stages are called by run/ (and the commands: diff/, lsp/, init/); they never import them',
      severity: 'error',
      from: { path: '^engine/', pathNot: '^engine/(run|cli|diff|lsp|init)/' },
      to: { path: '^engine/(run|cli|diff|lsp|init)/' },
    },
    {
      name: 'run-not-up-to-cli-diff',
      comment: 'run/ orchestrates the stages; the command line and diff sit above it',
      severity: 'error',
      from: { path: '^engine/run/' },
      to: { path: '^engine/(cli|diff|lsp|init)/' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'cli/ only parses arguments and prints',
      severity: 'error',
      from: { path: '^engine/', pathNot: '^engine/cli/' },
      to: { path: '^engine/cli/' },
    },
    ...stageOrder,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^engine/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
