import { config } from 'zod';

// Imported first by each entry point (bin.ts, worker.ts, backtestWorker.ts) for its side effect.
// zod compiles a parser for each object schema (with `new Function`) the first time it parses one.
// That pays off over thousands of parses; a command or a worker thread parses a few documents, and
// compiling them was ~10 ms of `entente validate`'s ~200. Each bundle has its own copy of zod, so no
// one else's zod is affected.
config({ jitless: true });
