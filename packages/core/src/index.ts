// @entente/core: pure TypeScript, no I/O, no Node-only imports. Runs in Node and in browsers.

export { type AllianceInfo, type AllianceInput, type Expansion, expandAlliance } from './alliance/expand.js';
export { type RungShares, type RungSharesOptions, rungShares } from './alliance/rungs.js';
export { AllianceSections, Decision, Interest, Pressure, Quantity } from './alliance/schema.js';
export {
  ATTRIBUTION_RUNS,
  ATTRIBUTION_STAGES,
  ATTRIBUTION_TOLERANCE,
  type AttributionOptions,
  type AttributionTolerance,
  attribute,
  attributeAsync,
  type ContributionTracker,
  contributionTracker,
  type Driver,
  EXACT_BELOW,
  effectInterval,
  type HeldPair,
  type HeldScenario,
  holdableModel,
  type PairRunner,
  RARE_FLOOR,
  scaledTolerance,
  trialsNeeded,
} from './analysis/attribution.js';
export {
  Backtest,
  type BacktestResult,
  backtestJsonSchema,
  Episode,
  type EpisodeForecast,
  episodeModel,
  runBacktest,
  validateBacktest,
} from './analysis/backtest.js';
export { type Binding, bindParams } from './analysis/bind.js';
export {
  type CalibrateOptions,
  type CalibrationFit,
  type CalibrationResult,
  calibrate,
  calibrateAsync,
  calibrationFit,
  calibrationWork,
  type FitRunner,
  type FreeParam,
} from './analysis/calibrate.js';
export {
  type AnalysisColumn,
  analysisColumn,
  COLUMN_BATCH_TRIALS,
  type ColumnRunner,
  type SobolColumn,
  sobolColumn,
} from './analysis/columns.js';
export {
  DISCOVERY_RUNS,
  type DiscoverOptions,
  type Discovery,
  discover,
  discoveryIssues,
  MAX_DISCOVERY_VALUES,
  parseWhere,
  type WhereClause,
} from './analysis/discover.js';
export {
  type MorrisEffect,
  type MorrisOptions,
  type MorrisResult,
  morris,
  morrisAsync,
} from './analysis/morris.js';
export { latinHypercube, nelderMead } from './analysis/optimize.js';
export {
  binomialUpperTail,
  boxF1,
  PRIM_ALPHA,
  PRIM_MIN_SUPPORT,
  type PrimBox,
  type PrimInput,
  type PrimLimit,
  type PrimOptions,
  type PrimResult,
  prim,
  QUASI_P_SIGNIFICANT,
} from './analysis/prim.js';
export {
  type BacktestScores,
  DEFAULT_SCORE_CLIP,
  type EpisodeScore,
  type ReliabilityBin,
  type ScoredEpisode,
  scoreBacktest,
} from './analysis/scores.js';
export {
  analysisInputs,
  MORRIS_LEVELS,
  MORRIS_RUNS,
  MORRIS_TRAJECTORIES,
  type SensitivityInput,
  type SensitivityOptions,
  type SensitivityOutput,
  SOBOL_RESAMPLES,
  SOBOL_RUNS,
  TORNADO_HIGH,
  TORNADO_LOW,
  TORNADO_RUNS,
} from './analysis/sensitivity.js';
export { SOBOL_MAX_DIMENSIONS, sobolPoints } from './analysis/sobol.js';
export {
  type SobolIndex,
  type SobolIndicesOptions,
  type SobolIndicesResult,
  type SobolShare,
  sobolIndices,
  sobolIndicesAsync,
  sobolMatrices,
} from './analysis/sobolIndices.js';
export {
  DEFAULT_SWEEP_POINTS,
  DEFAULT_SWEEP_STEPS,
  MAX_SWEEP_POINTS,
  type SweepDesign,
  type SweepDifference,
  type SweepInput,
  type SweepOptions,
  type SweepPoint,
  type SweepResult,
  type SweepStep,
  sweep,
  sweepAsync,
  sweepDesign,
} from './analysis/sweep.js';
export {
  type TornadoBar,
  type TornadoEnd,
  type TornadoOptions,
  type TornadoResult,
  tornado,
  tornadoAsync,
} from './analysis/tornado.js';
export { redrawSites, type TrialTable, trialTable } from './analysis/trials.js';
export * as defaults from './defaults.js';
export { type ParsedDocument, parseDocument } from './document/parse.js';
export {
  applyOverride,
  type DocumentLoader,
  type ResolvedDocument,
  resolveDocument,
} from './document/resolve.js';
export { turn } from './drive.js';
export { bindEvidence, type EvidenceProgram } from './evidence/bind.js';
export { type Clause, clauseText, monthsBetween, parseClause } from './evidence/clause.js';
export {
  type CheckedFormula,
  checkFormula,
  type FormulaProblem,
  type FormulaScope,
} from './formula/check.js';
export { PURE_FUNCTIONS, RANDOM_FUNCTIONS } from './formula/functions.js';
export type { Expr } from './formula/ir.js';
export { canonicalJson, fingerprint } from './hash.js';
export {
  EvidenceError,
  fail,
  formatIssue,
  formatPath,
  type Issue,
  type Location,
  ok,
  type Result,
  ScenarioError,
  SimulationError,
} from './issues.js';
export { type LoadOptions, loadScenario, loadScenarioOrThrow, validateData, validateText } from './load.js';
export { type CompiledModel, type CompileOptions, compileScenario } from './model/compile.js';
export { trialSource } from './model/generate.js';
export type { Plan } from './model/plan.js';
export { aleaNext, aleaOpen, STREAM_WIDTH } from './random/alea.js';
export { makeSampler, type Sampler, type SamplerResult } from './random/distributions.js';
export { mix32, type SeedKey, seedKey, seedTrial, siteKey } from './random/seed.js';
export { betaI, erfc, gammaP, logGamma, normalCdf, normalQuantile } from './random/special.js';
export { run, runAsync } from './run.js';
export { DISTRIBUTION_NAMES, Distribution } from './schema/distributions.js';
export { RESERVED_NAMES } from './schema/references.js';
export {
  Derived,
  Effect,
  Event,
  Formula,
  Outcome,
  Param,
  Regime,
  Scenario,
  type ScenarioInput,
  StateVar,
  scenarioJsonSchema,
} from './schema/scenario.js';
export { type ValidScenario, validateScenario } from './schema/validate.js';
export { type RunOptions, type TrialTracking, withDefaults } from './simulate/options.js';
export {
  type Discordance,
  type PairedSimulation,
  pairedDifference,
  pairedDiscordance,
  simulatePaired,
  simulatePairedAsync,
} from './simulate/paired.js';
export {
  canonicalSeed,
  checkShard,
  describeValue,
  MAX_SHARDS,
  SHARD_FORMAT,
  SHARD_FORMAT_VERSION,
  type ShardShape,
  shardChecksum,
  shardSchema,
} from './simulate/shardSchema.js';
export {
  formatShardIssue,
  type MergedShards,
  mergeOwnShards,
  mergeShardFiles,
  mergeShards,
  type PartialMerge,
  ShardError,
  type ShardInput,
  type ShardPart,
  type ShardRecord,
  shardRange,
  shardShape,
  toShard,
} from './simulate/shards.js';
export { type Simulation, simulate, simulateAsync } from './simulate/simulate.js';
export { emptyTallies, mergeTallies, type Tallies } from './simulate/tallies.js';
export {
  type EvidenceSummary,
  estimate,
  type OutcomeEstimate,
  primaryOutcome,
  type RunResult,
  type StepEstimate,
  type Summary,
  type ValueEstimate,
} from './stats/estimate.js';
export { ExactSum } from './stats/exactSum.js';
export { poissonBounds } from './stats/poisson.js';
export { QuantileSketch } from './stats/sketch.js';
export { wilsonHalfWidth, wilsonInterval } from './stats/wilson.js';
export { closest, didYouMean } from './suggest.js';
export { type Trace, type TraceStep, trace } from './trace.js';
export { variant } from './variant.js';
export { ENGINE_NAME, ENGINE_VERSION } from './version.js';
