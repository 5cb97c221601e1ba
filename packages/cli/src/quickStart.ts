import { config } from 'zod';

// Imported first by each entry point (bin.ts, worker.ts, backtestWorker.ts) for its side effect.
// zod compiles a parser for each object schema (with `new Function`) the first time it parses one.
// That pays off over thousands of parses; a command or a worker thread parses a few documents, and
// compiling them was ~10 ms of `entente validate`'s ~200. zod keeps the setting for the whole
// process (every copy of zod in it shares one global configuration), which is why only these entry
// points, where every parse is the CLI's own, set it: never @entente/core, which users import.
config({ jitless: true });
