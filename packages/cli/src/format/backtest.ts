import type { BacktestResult } from '@entente/core';
import { count, percent, value } from './numbers.js';
import { boxTable, markdownTable } from './tables.js';

const fmt = (x: number | null, digits = 3): string => (x === null ? '—' : x.toFixed(digits));

/** The backtest as a table (or Markdown): overall scores, reliability, and every episode. */
export function backtestTable(r: BacktestResult, file: string, markdown = false): string {
  const s = r.scores;
  const rows: [string, string][] = [
    [
      'episodes',
      `${r.episodes.length}; scored yes/no at step ${r.horizon}: ${s.binaryCount} (${s.discrimination.positives} events, ${s.discrimination.negatives} not)`,
    ],
    [
      'Brier score',
      `${fmt(s.brier)}  (base rate ${s.baseRate === null ? '—' : percent(s.baseRate.overall)}, scored leave-one-out: ${fmt(s.baseRate?.brier ?? null)})`,
    ],
    [
      'Brier skill score vs base rate',
      s.baseRate === null
        ? '— (fewer than 2 episodes)'
        : s.baseRate.skill === null
          ? `— (${s.baseRate.skillNote})`
          : fmt(s.baseRate.skill),
    ],
    [`log score (p clipped to [${s.clip}, 1 − ${s.clip}])`, fmt(s.logScore)],
    ['survival log-likelihood', `${fmt(s.survival.total, 2)} (mean ${fmt(s.survival.mean)} per episode)`],
    ['AUC (discrimination)', fmt(s.discrimination.auc)],
  ];
  const header = `${r.title}: P(event by step ${r.horizon}) for each episode, scored against what happened`;
  const footer = `${count(r.runs)} trials per episode · seed ${String(r.seed)} · reproduce: entente backtest ${file} --seed ${String(r.seed)} --runs ${r.runs}`;
  const reliability = s.reliability.map((b) => [
    `${percent(b.lower)}–${percent(b.upper)}`,
    String(b.count),
    b.meanForecast === null ? '—' : percent(b.meanForecast),
    b.observedFrequency === null ? '—' : percent(b.observedFrequency),
  ]);
  const episodes = s.episodes.map((e, i) => {
    const f = r.episodes[i]!;
    const obs = 'at' in f.observed ? `at step ${f.observed.at}` : `not by ${f.observed.notBy}`;
    return [e.id, percent(e.pHorizon), obs, e.brier === null ? '—' : value(e.brier)];
  });
  if (markdown) {
    return `${[
      `**${header}**`,
      '',
      markdownTable(['score', 'value'], rows),
      '',
      'Reliability (forecasts binned; observed frequency of the event in each bin):',
      '',
      markdownTable(['forecast bin', 'episodes', 'mean forecast', 'observed'], reliability),
      '',
      `<sub>${footer}</sub>`,
    ].join('\n')}\n`;
  }
  return `${[
    header,
    boxTable(['score', 'value'], rows),
    'Reliability',
    boxTable(['forecast bin', 'episodes', 'mean forecast', 'observed'], reliability),
    'Episodes',
    boxTable(['episode', `P(by ${r.horizon})`, 'observed', 'Brier'], episodes),
    footer,
  ].join('\n')}\n`;
}

/** One row per episode: the forecast curve's value at the horizon and at the observed step. */
export function backtestCsv(r: BacktestResult): string {
  const rows = ['episode,as_of,p_horizon,p_observed_step,observed_step,censored,y,brier,log_score,survival'];
  r.scores.episodes.forEach((e, i) => {
    const f = r.episodes[i]!;
    const step = 'at' in f.observed ? f.observed.at : f.observed.notBy;
    rows.push(
      [
        e.id,
        f.asOf ?? '',
        e.pHorizon,
        e.pObserved,
        step,
        'notBy' in f.observed,
        e.y ?? '',
        e.brier ?? '',
        e.log ?? '',
        e.survival,
      ].join(','),
    );
  });
  return `${rows.join('\n')}\n`;
}
