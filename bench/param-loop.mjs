// The param loop of a large model's generated trial (packages/core/src/model/generate.ts,
// paramLoops), alone, in ns per param: with its lists as literal arrays and as Int32Arrays, and the
// per-site draw alone (two mix32 and Alea's first step, seed.ts firstDraw). Run: node
// bench/param-loop.mjs. Self-contained: a copy of the hash, not an import, so it times the shape of
// the loop, not the engine.
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
const v = new Float64Array(n + 4);
const PA = new Float64Array(n).fill(0.1);
const PW = new Float64Array(n).fill(0.3);
const P = Array.from({ length: n }, (_, k) => (u) => u * k);
const body = `{ const b = S[0]; for (let t = 0; t < pk.length; t++) { const a = PA[t], d = first(b, S[1 + t]); v[ps[t]] = a === a ? a + PW[t] * d : P[pk[t]](d); } }`;
const loop = (lists) =>
  new Function('pk', 'ps', 'PA', 'PW', 'P', 'first', `return function (v, S) ${body};`)(
    lists(Array.from({ length: n }, (_, k) => k)),
    lists(Array.from({ length: n }, (_, k) => k + 4)),
    PA,
    PW,
    P,
    first,
  );
const literal = loop((xs) => xs);
const typed = loop((xs) => Int32Array.from(xs));
const hashOnly = (_v, s) => {
  let x = 0;
  const b = s[0];
  for (let t = 0; t < n; t++) x += first(b, s[1 + t]);
  v[0] = x;
};
const time = (f) => {
  const reps = 20_000;
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    S[0] = mix32(r);
    f(v, S);
  }
  return ((performance.now() - t0) * 1e6) / reps / n;
};
for (let round = 0; round < 5; round++)
  console.log(
    `literal arrays ${time(literal).toFixed(2)} · Int32Array lists ${time(typed).toFixed(2)} · the draw alone ${time(hashOnly).toFixed(2)} ns a param`,
  );
