// @entente/testing: fast-check arbitraries and property helpers for testing Entente model rules.
// docs/TESTING.md explains why most of these checks are exact at a fixed seed.

export { invalidDistribution, validDistribution } from './arbitraries/distributions.js';
export { formula, probabilityFormula } from './arbitraries/formulas.js';
export {
  aliasBombText,
  deepDocumentText,
  deepFormula,
  hostileDocument,
  hostileFormula,
  hostileFormulaScenario,
  INVISIBLE_CHARACTERS,
  invisibleName,
  longFormula,
  manyKeysText,
  nonFiniteNumbers,
  trickyFormula,
} from './arbitraries/hostile.js';
export { mangledText, nearValid } from './arbitraries/mutations.js';
export { PROTOTYPE_NAME_LIST, prototypeNamed } from './arbitraries/prototypeNames.js';
export {
  actors,
  allianceScenario,
  coreScenario,
  interest,
  pressure,
  type ScenarioData,
  type ScenarioOptions,
} from './arbitraries/scenarios.js';
export {
  checkShardMerge,
  fuzzShardMerges,
  hostileShard,
  hostileShardSet,
  type ShardMergeOutcome,
  shardMergeHonest,
  validShards,
} from './arbitraries/shards.js';
export { compileData, compileText } from './properties/compile.js';
export { checkTypedFailure, type FuzzOutcome, typedFailuresOnly } from './properties/fuzz.js';
export { assertZeroWeightRemoves, renameInvariant, zeroWeightRemoves } from './properties/inputs.js';
export { type MonotoneOptions, monotoneIn } from './properties/monotone.js';
export {
  assertBounded,
  bounded,
  deterministic,
  reordered,
  reorderInvariant,
  roundTrips,
} from './properties/results.js';
