/** The scenario `entente init` writes: commented, valid, and small enough to read in a minute. */
export const STARTER_SCENARIO = `# yaml-language-server: $schema=./entente.schema.json
#
# A starter scenario for Entente. Run it with:   entente run scenario.yaml
# See what it expands into:                    entente expand scenario.yaml
# Replay one trial step by step:               entente trace scenario.yaml --trial 0
#
# The question: how likely is state A to cool its ties with partner B within two years, while
# state C pushes it to? Replace the actors, values and sources with your own, and cite a source or
# write a note for every number.
id: starter
title: Does A cool its ties with B?
horizon: { steps: 24, unit: month }

sources:
  example: { title: Replace with the report or dataset a value comes from, date: 2026 }

actors:
  A: { name: State A }
  B: { name: Partner B }
  C: { name: Ally C }

# A cools ties with B; tie strength starts at 0.9 on a 0–1 scale.
relationship: { focal: A, partner: B, initial_tie: 0.9 }

# What holds A to B (direction: hold) or pushes it away (direction: push).
# value: a number, a distribution, a formula, { init, update } (a process) or { regime, values }.
interests:
  trade:
    label: trade with B
    direction: hold
    weight: 1
    value: { dist: pert, min: 0.2, mode: 0.35, max: 0.5 }   # share of A's exports going to B
    source: example
  security:
    label: security cooperation
    direction: hold
    weight: { dist: uniform, min: 0.5, max: 1 }
    value: { init: 0.5, update: "security * 0.99" }         # slowly fading
    note: Assumption; replace with your own reasoning.

# Who pushes A away: effective push = intensity × leverage × weight.
pressures:
  ally:
    actor: C
    label: C's pressure on A
    intensity: { regime: c_stance, values: { calm: 0.2, vocal: 0.6, coercive: 1 } }
    leverage: { dist: uniform, min: 0.4, max: 0.8 }        # how much A depends on C
    weight: 1

# C's stance moves month by month (states are listed from least to most escalated).
regimes:
  c_stance:
    states: [calm, vocal, coercive]
    initial: calm
    transitions:
      calm: { vocal: 0.05 }
      vocal: { calm: 0.05, coercive: 0.03 }
      coercive: { vocal: 0.1 }

# A shock: a deal with B that raises trade for good.
events:
  deal:
    hazard: 0.02
    effects: [{ scale: trade, by: 1.2 }]

# Each month A may move one rung on this ladder (a logit choice; docs/ALLIANCE.md).
decision:
  ladder: [maintain, criticise, downgrade]
  cooled: downgrade
  thresholds: { criticise: -0.5, downgrade: -0.3 }  # net incentive at which each step is worth it
  lambda: 5
  inertia: 1
`;
