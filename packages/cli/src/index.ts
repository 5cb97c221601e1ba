export type { CliIO } from './io-streams.js';
export { main, makeProgram } from './program.js';
