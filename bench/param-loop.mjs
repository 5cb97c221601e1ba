// The param loop of a large model's generated trial (packages/core/src/model/generate.ts,
// paramLoops), alone, in ns per param, as it was and as it is: one store of `a === a ? a + w·u :
// P[k](u)` with the keys read from the Float64Array S, against two stores with the keys in an
// Int32Array; and the per-site draw alone (two mix32 and Alea's first step, seed.ts firstDraw). Two of
// the 2,000 params go through their quantile function, as a large model's few non-uniform params do:
// that makes the conditional merge a double with a call's result, which is what boxed every draw.
// Scavenges counted with a PerformanceObserver. Run: node bench/param-loop.mjs. Self-contained: a copy
// of the hash, not an import, so it times the shape of the loop, not the engine.
import { PerformanceObserver } from 'node:perf_hooks';

const mix32 = (h) => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};
const T32 = 2.3283064365386963e-10;
const first = (base, site) => {
  const w0 = mix32((mix32(base ^ site) + 0x9e3779b9) >>> 0);
  const t = 2091639 * (w0 * T32) + T32;
  return t - (t | 0) + T32 / 2;
};
const n = 2000;
const keys = Array.from({ length: n }, (_, k) => mix32(k + 99));
const S = new Float64Array(n + 1);
S.set(keys, 1);
const K = Int32Array.from(keys, (k) => k | 0);
const v = new Float64Array(n + 4);
const PA = new Float64Array(n).fill(0.1);
const PW = new Float64Array(n).fill(0.3);
PA[500] = PA[1500] = Number.NaN;
const P = Array.from({ length: n }, (_, k) => (u) => u * k);
const pk = Int32Array.from({ length: n }, (_, k) => k);
const ps = Int32Array.from({ length: n }, (_, k) => k + 4);
const loop = (body) =>
  new Function('pk', 'ps', 'PA', 'PW', 'P', 'first', 'K', `return function (v, S) ${body};`)(
    pk,
    ps,
    PA,
    PW,
    P,
    first,
    K,
  );
const before = loop(
  `{ const b = S[0]; for (let t = 0; t < pk.length; t++) { const a = PA[t], d = first(b, S[1 + t]); v[ps[t]] = a === a ? a + PW[t] * d : P[pk[t]](d); } }`,
);
const now = loop(
  `{ const b = S[0]; for (let t = 0; t < pk.length; t++) { const a = PA[t], d = first(b, K[t]); if (a === a) v[ps[t]] = a + PW[t] * d; else v[ps[t]] = P[pk[t]](d); } }`,
);
const hashOnly = (_v, s) => {
  let x = 0;
  const b = s[0];
  for (let t = 0; t < n; t++) x += first(b, K[t]);
  v[0] = x;
};
let scavenges = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail?.kind === 1) scavenges++;
}).observe({ entryTypes: ['gc'] });
const reps = 20_000;
const time = async (f) => {
  await new Promise((r) => setTimeout(r, 20));
  const s0 = scavenges;
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    S[0] = mix32(r);
    f(v, S);
  }
  const ns = ((performance.now() - t0) * 1e6) / reps / n;
  await new Promise((r) => setTimeout(r, 20));
  return `${ns.toFixed(2)} (${scavenges - s0} scavenges)`;
};
for (let round = 0; round < 5; round++)
  console.log(
    `one store, keys in S ${await time(before)} · two stores, keys in K ${await time(now)} · the draw alone ${await time(hashOnly)} ns a param`,
  );
