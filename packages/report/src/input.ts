import type { Driver, RunResult, SobolIndicesResult } from '@entente/core';

/** One scenario of a report: its result and what the report draws from beyond it. */
export interface ReportScenario {
  /** The file as the user gave it (shown in the manifest and the reproduce line). */
  file: string;
  result: RunResult;
  /** The scenario's description, if it has one (the question, in the author's words). */
  description?: string;
  /**
   * P(primary) minus the first scenario's, on the same trials, with its paired 95% interval.
   * Absent for the first scenario, and when the pairing does not hold (conditioned runs).
   */
  difference?: { estimate: number; ci95: [number, number] };
  /** Each reported value's quantiles at the horizon at q = 0, 1/m, …, 1 (`valueQuantiles`). */
  valueQuantiles: Record<string, number[]>;
  /** Every param, in the scenario's order (`paramRows`). */
  params: ReportParam[];
}

/** A source a param cites, from the scenario's `sources`. */
export interface ReportSource {
  id: string;
  title?: string;
  publisher?: string;
  date?: string;
  url?: string;
}

/** One row of the provenance table. */
export interface ReportParam {
  name: string;
  /** The distribution as written (`pert(min 0.2, mode 0.4, max 0.7)`), or the number. */
  distribution: string;
  label?: string;
  unit?: string;
  source?: ReportSource;
  note?: string;
  /** For a param the alliance vocabulary generated: its item, `interest oil (oil sales to Israel)`. */
  context?: string;
  /** The source and note were written on the item as a whole, not on this param. */
  inherited?: boolean;
  /** True when `--set` bound it at run time. */
  set?: boolean;
  /** Quantiles of a random param on a grid of u (`paramQuantiles`), for its density plot. */
  quantiles?: number[];
}

/** How the report was made: enough to reproduce it. */
export interface ReportManifest {
  engine: { name: string; version: string };
  seed: number | string;
  runs: number;
  /** When the report was generated (ISO 8601); not part of any figure. */
  date: string;
  /** The command that reproduces the numbers. */
  command: string;
  /** Observations conditioned on (`--given`) and params bound (`--set`), as given. */
  given: string[];
  set: string[];
}

/** Everything a report shows. Pure data: `buildReport` turns it into figures and a page. */
export interface ReportInput {
  /** The first is the reference for the paired differences, the drivers and the Sobol indices. */
  scenarios: ReportScenario[];
  /** Drivers of the first scenario (alliance scenarios; absent otherwise or under evidence). */
  drivers?: Driver[];
  sobol?: SobolIndicesResult;
  /** Why a section is missing (e.g. `differences: conditioned runs are not paired`), shown in its place. */
  notes?: Partial<Record<'differences' | 'drivers' | 'sobol', string>>;
  manifest: ReportManifest;
}
