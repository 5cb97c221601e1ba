/**
 * A family of alliance-vocabulary benchmark models: N interests (alternately hold and push, uniform
 * values and weights scaled by 1/N so the net incentive keeps its size), two pressures (one whose
 * intensity is a random walk, one that follows a two-state regime) and a logit ladder over 36
 * steps. N = 4 is the small model of issue 13; N = 1000 the large one. `allianceYaml(n)` is the
 * scenario; `allianceSpec(n)` the same numbers for the independent hand loop (bench/hand/alliance.ts).
 */
export interface InterestSpec {
  hold: boolean;
  lo: number;
  hi: number;
  wlo: number;
  whi: number;
}

export interface AllianceSpec {
  interests: InterestSpec[];
  thresholds: [number, number];
  lambda: number;
  inertia: number;
  tieRate: number;
  tie0: number;
}

export function allianceSpec(n: number): AllianceSpec {
  const interests = Array.from({ length: n }, (_, i) => {
    const lo = round(0.1 + 0.02 * (i % 7));
    return { hold: i % 2 === 0, lo, hi: round(lo + 0.3), wlo: round(2 / n), whi: round(6 / n) };
  });
  return { interests, thresholds: [0.2, 0.6], lambda: 4, inertia: 1, tieRate: 0.2, tie0: 0.9 };
}

const round = (x: number): number => Number(x.toPrecision(12));

export function allianceYaml(n: number): string {
  const s = allianceSpec(n);
  const lines = [
    `id: bench-alliance-${n}`,
    `title: Alliance benchmark with ${n} interests and two pressures`,
    'horizon: { steps: 36 }',
    'actors: { A: { name: Focal }, B: { name: Partner }, C: { name: Rival }, D: { name: Patron } }',
    `relationship: { focal: A, partner: B, initial_tie: ${s.tie0} }`,
    'interests:',
    ...s.interests.map(
      (x, i) =>
        `  i${i}: { direction: ${x.hold ? 'hold' : 'push'}, value: { dist: uniform, min: ${x.lo}, max: ${x.hi} }, weight: { dist: uniform, min: ${x.wlo}, max: ${x.whi} } }`,
    ),
    'pressures:',
    '  rival:',
    '    actor: C',
    '    intensity: { init: 0.5, update: "clamp(rival_intensity + normal(0, 0.05), 0, 1)" }',
    '    leverage: { dist: pert, min: 0.5, mode: 0.7, max: 0.9 }',
    '  patron:',
    '    actor: D',
    '    intensity: { regime: mood, values: { calm: 0.2, angry: 0.6 } }',
    '    leverage: { dist: uniform, min: 0.3, max: 0.8 }',
    'regimes:',
    '  mood: { states: [calm, angry], initial: calm, transitions: { calm: { angry: 0.05 }, angry: { calm: 0.1 } } }',
    'decision:',
    '  ladder: [maintain, criticise, downgrade]',
    '  cooled: downgrade',
    `  thresholds: { criticise: ${s.thresholds[0]}, downgrade: ${s.thresholds[1]} }`,
    `  lambda: ${s.lambda}`,
    `  inertia: ${s.inertia}`,
    `  tie_rate: ${s.tieRate}`,
    'report: []',
  ];
  return `${lines.join('\n')}\n`;
}
