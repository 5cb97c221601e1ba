// @entente/testing: fast-check arbitraries and property helpers for testing Entente model rules.
export { validDistribution } from './distributions.js';
export { compileData, monotoneIn } from './properties.js';
