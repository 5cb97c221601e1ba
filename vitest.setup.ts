import fc from 'fast-check';
import { fastCheckSettings } from './vitest.seed.js';

// Property tests run with a pinned seed so CI is reproducible (see vitest.seed.ts).
fc.configureGlobal(fastCheckSettings());
