import {
  ENGINE_VERSION,
  EvidenceError,
  formatIssue,
  ScenarioError,
  ShardError,
  SimulationError,
} from '@entente/core';
import { Command, CommanderError, Option } from 'commander';
import { backtestCommand } from './commands/backtest.js';
import { calibrateCommand, parseFree, parseMonth } from './commands/calibrate.js';
import { compareCommand } from './commands/compare.js';
import { discoverCommand, parseInputs, parseShare, parseWhereFlag } from './commands/discover.js';
import { expandCommand } from './commands/expand.js';
import { initCommand } from './commands/init.js';
import { mergeCommand } from './commands/merge.js';
import { DEFAULT_REPORT, reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import {
  parseInputList,
  parseLevels,
  parseResamples,
  SENSITIVITY_METHODS,
  sensitivityCommand,
} from './commands/sensitivity.js';
import { mergeSweepCommand, parseVary, sweepCommand } from './commands/sweep.js';
import { parseSteps, tableCommand } from './commands/table.js';
import { traceCommand } from './commands/trace.js';
import { validateCommand } from './commands/validate.js';
import { EXIT, OutputError, UsageError } from './errors.js';
import { FORMATS } from './format/run.js';
import { checkOutputPath } from './io.js';
import { type CliIO, processIO } from './io-streams.js';
import {
  parsePrecision,
  parseRuns,
  parseSeed,
  parseSet,
  parseShard,
  parseTolerance,
  parseTrial,
  parseWorkers,
} from './options.js';

/** `--set NAME=VALUE` (repeatable), binding `what` at run time: the same option on every command that has it. */
function setOption(what: string): Option {
  return new Option(
    '--set <NAME=VALUE>',
    `bind ${what} at run time to a number or a JSON distribution (repeatable; the same bits as editing the file)`,
  ).argParser(parseSet);
}

/** `--drivers-tolerance A[,R]`: when attribution stops each pair of variants (docs/ALLIANCE.md, "Attribution"). */
function toleranceOption(): Option {
  return new Option(
    '--drivers-tolerance <A[,R]>',
    "run each driver's pair of variants until its effect's 95% half-width is at most A or R × the effect (default 0.005,0.1; 0: all 20,000 trials)",
  ).argParser(parseTolerance);
}

/** `-w, --workers N`, described for the command (what a thread takes, its default); the result never depends on it. */
function workersOption(description: string): Option {
  return new Option('-w, --workers <n>', description).argParser(parseWorkers);
}

/** Build the command tree. Actions store their exit code in `exit.code`. */
export function makeProgram(io: CliIO, exit: { code: number }): Command {
  const program = new Command('entente')
    .description(
      'Scenario simulation for alliance pressure: how likely is a state to cool its ties with a partner, by when, and why.',
    )
    .version(ENGINE_VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    // Every command that takes --out checks its destination before any work (a long run is not
    // lost to a missing folder).
    .hook('preAction', (_program, command) => {
      const out: unknown = command.opts().out;
      if (typeof out === 'string') checkOutputPath(out);
    });

  program
    .command('run')
    .description(
      'Run a scenario and print the probability of its primary outcome by step, with 95% intervals',
    )
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('-n, --runs <n>', 'number of trials (default 40,000; the cap in precision mode)', parseRuns)
    .option('-s, --seed <seed>', 'seed: an integer or any string (default 20241124)', parseSeed)
    .option(
      '-p, --precision <halfwidth>',
      "run until the primary outcome's 95% half-width is at most this",
      parsePrecision,
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices([...FORMATS, 'tallies']).default('table'),
    )
    .option('-o, --out <path>', 'write the result to a file (atomically) instead of stdout')
    .option('-q, --quiet', 'no progress bar or messages on stderr')
    .option('--no-drivers', 'skip attribution to interests and pressures')
    .addOption(toleranceOption())
    .addOption(
      workersOption(
        'threads (default: every core from 100,000 trials when the rest would take over a second after the first 20,000); results do not depend on it',
      ),
    )
    .option(
      '--shard <K/N|auto>',
      'run only shard K of N (0-based) of the trials; with --format tallies, for entente merge. auto: K and N from a Kubernetes Indexed Job, a Slurm array, an AWS Batch array job or GNU parallel (see docs/CLI.md)',
      parseShard,
    )
    .option(
      '-g, --given <clause>',
      'condition on an observation, e.g. "not cooled by 16" (repeatable; see docs/EVIDENCE.md)',
      collect,
    )
    .addOption(setOption('a param'))
    .addHelpText(
      'after',
      `
Examples:
  entente run scenarios/baku-israel/baseline.yaml
  entente run scenario.yaml --runs 100k --seed 7 --format json --out result.json
  entente run scenario.yaml --precision 0.005
  entente run scenario.yaml --given "not cooled by 16" --given "turkey is vocal at 12"
  entente run scenarios/baku-israel/baseline.yaml --set turkey_weight=1.2
  entente run scenario.yaml --set 'h={"dist":"uniform","min":0,"max":0.1}'
  entente run scenario.yaml --runs 1e6 --shard 0/4 --format tallies --out shard-0.json   # then: entente merge
  entente run scenario.yaml --runs 1e6 --shard auto --format tallies --out shard-$JOB_COMPLETION_INDEX.json`,
    )
    .action(async (file: string, flags) => {
      exit.code = await runCommand(file, flags, io);
    });

  program
    .command('compare')
    .description(
      'Run scenarios on the same trials and seed: each probability, and each difference from the first with a paired 95% interval',
    )
    .argument('<files...>', 'two or more scenario files; the first is the reference')
    .option('-n, --runs <n>', 'number of trials (default 40,000)', parseRuns)
    .option('-s, --seed <seed>', 'seed: an integer or any string (default 20241124)', parseSeed)
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .option('-o, --out <path>', 'write the result to a file (atomically) instead of stdout')
    .addOption(workersOption('threads (default: every core from 100,000 trials; the same result either way)'))
    .option('-q, --quiet', 'no progress bar or messages on stderr')
    .addOption(setOption('a param in every scenario'))
    .addHelpText(
      'after',
      `
Examples:
  entente compare scenarios/baku-israel/baseline.yaml scenarios/baku-israel/turkish-escalation.yaml
  entente compare base.yaml variant-a.yaml variant-b.yaml --runs 100k --format json
  entente compare base.yaml variant.yaml --set turkey_weight=1.2`,
    )
    .action(async (files: string[], flags) => {
      exit.code = await compareCommand(files, flags, io);
    });

  program
    .command('report')
    .description(
      'Write one self-contained HTML report (charts, the answer with its interval, drivers, inputs and sources) that opens offline and prints well',
    )
    .argument('<files...>', 'scenario files; the first is the reference for differences and drivers')
    .option('-o, --out <path>', `the HTML file to write, atomically (default ${DEFAULT_REPORT})`)
    .option('--svg <dir>', 'also write every chart as an SVG file into this folder (created if missing)')
    .option('-n, --runs <n>', 'trials per scenario, the same trials for all (default 40,000)', parseRuns)
    .option('-s, --seed <seed>', 'seed: an integer or any string (default 20241124)', parseSeed)
    .option(
      '-g, --given <clause>',
      'condition every scenario on an observation (repeatable; see docs/EVIDENCE.md)',
      collect,
    )
    .addOption(setOption('a param in every scenario'))
    .option(
      '--sobol',
      "add the first scenario's Sobol indices, on min(--runs, 20,000) trials per matrix (k + 3 matrices for k params: slower)",
    )
    .option('--no-drivers', 'skip attribution to interests and pressures')
    .addOption(toleranceOption())
    .addOption(
      workersOption(
        'threads for the runs and the drivers (default: every core from 100,000 trials; the same page either way)',
      ),
    )
    .option('-q, --quiet', 'no progress bar or messages on stderr')
    .addHelpText(
      'after',
      `
The page holds the answer in one sentence with its 95% interval, the fan chart of P by step with
95% bands (one line per scenario), paired differences from the first scenario, the drivers as a
tornado (and Sobol indices with --sobol), when the event happens, histograms of values at the
horizon, every param with its distribution, a density plot, its source and note, and the run's
manifest with the command that reproduces it. Charts are inline SVG: no script, no network.

Examples:
  entente report scenarios/baku-israel/baseline.yaml scenarios/baku-israel/turkish-escalation.yaml --out report.html
  entente report scenarios/baku-israel/baseline.yaml --sobol --runs 100k --out baseline.html
  entente report scenarios/baku-israel/*.yaml --svg figures/ --out all.html
  entente report scenario.yaml --given "not cooled by 16" --set turkey_weight=1.2`,
    )
    .action(async (files: string[], flags) => {
      exit.code = await reportCommand(files, flags, io);
    });

  program
    .command('merge')
    .description(
      'Join shards (run --shard K/N --format tallies) into the result a single run gives, bit for bit',
    )
    .argument('<file>', 'the scenario file the shards were run from')
    .argument(
      '<shards...>',
      "tallies files in any order, folders (their *.json files) or quoted patterns ('shards/*.json')",
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .option('-o, --out <path>', 'write the result to a file (atomically) instead of stdout')
    .option('-q, --quiet', 'no messages on stderr')
    .option('--no-drivers', 'skip attribution to interests and pressures')
    .addOption(toleranceOption())
    .option(
      '--partial',
      'merge an incomplete set of shards; the output says which shards and how many trials it holds',
    )
    .option(
      '-g, --given <clause>',
      'the observations the shards were run with (repeatable, as for run; see docs/EVIDENCE.md)',
      collect,
    )
    .addHelpText(
      'after',
      `
Every shard K of one N, one --runs and one seed must be given exactly once, from the same scenario
and the same engine version (and the same --given clauses, if any); anything else is refused
(exit 2) with every problem listed.

Example (four shards, e.g. a Kubernetes Indexed Job or a Slurm array with K = 0 … 3):
  entente run scenario.yaml --runs 1e6 --seed 7 --shard K/4 --format tallies --out shard-K.json
  entente merge scenario.yaml shard-*.json
  entente merge scenario.yaml shards/                    # every shards/*.json
  entente merge scenario.yaml 'shards/shard-*.json'      # entente expands the pattern itself
  entente merge scenario.yaml shard-0.json shard-2.json --partial   # labelled PARTIAL
  entente run scenario.yaml --runs 1e6 --shard K/4 --format tallies --given "not cooled by 16" --out shard-K.json
  entente merge scenario.yaml --given "not cooled by 16" shard-*.json`,
    )
    .action((file: string, shards: string[], flags) => {
      exit.code = mergeCommand(file, shards, flags, io);
    });

  program
    .command('validate')
    .description('Check scenario files: every problem in every file, with file:line:column')
    .argument('<files...>', 'scenario files')
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format (default table; json: every file with its problems)',
      ).choices(['table', 'json']),
    )
    .option('--json', 'the same as --format json')
    .option('-q, --quiet', 'no summary line on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  entente validate scenarios/baku-israel/*.yaml\n  entente validate scenario.yaml --format json',
    )
    .action((files: string[], flags) => {
      exit.code = validateCommand(files, flags, io);
    });

  program
    .command('trace')
    .description('Replay one trial step by step: params, state, regimes, events and outcomes')
    .argument('<file>', 'scenario file')
    .option('-t, --trial <k>', 'trial number (0-based)', parseTrial)
    .option(
      '--first-hit [outcome]',
      'instead of --trial: the first trial, from trial 0, in which the outcome (default: the primary) happened',
    )
    .option('-n, --runs <n>', 'with --first-hit: trials to search (default 1,000,000)', parseRuns)
    .option('-s, --seed <seed>', 'seed, as given to run', parseSeed)
    .addOption(
      new Option('-f, --format <format>', 'output format (default table)').choices(['table', 'json']),
    )
    .option('--json', 'the same as --format json')
    .option('-q, --quiet', 'no progress bar on stderr')
    .addHelpText(
      'after',
      `
A trial that fails (a formula gives NaN or ±∞) is shown up to the failure, then the error (exit 1).

Examples:
  entente trace scenarios/baku-israel/baseline.yaml --trial 17
  entente trace scenarios/baku-israel/baseline.yaml --first-hit              # the primary outcome
  entente trace scenarios/baku-israel/baseline.yaml --first-hit reached_suspend --format json`,
    )
    .action(async (file: string, flags) => {
      exit.code = await traceCommand(file, flags, io);
    });

  program
    .command('expand')
    .description(
      'Show what a scenario expands into: the alliance vocabulary and extends resolved into the core layer (YAML)',
    )
    .argument('<file>', 'scenario file')
    .addHelpText('after', '\nExample:\n  entente expand scenarios/baku-israel/baseline.yaml')
    .action((file: string) => {
      exit.code = expandCommand(file, io);
    });

  program
    .command('table')
    .description(
      'A results table for several scenarios: P(primary) by chosen steps with 95% intervals, and top drivers',
    )
    .argument('<files...>', 'scenario files, in the order of the rows')
    .option(
      '--at <steps>',
      'steps to report, comma-separated, within the horizon (default: its thirds, e.g. 12,24,36 for 36 steps)',
      parseSteps,
    )
    .option('-n, --runs <n>', 'trials per scenario (default 40,000)', parseRuns)
    .option('-s, --seed <seed>', 'seed: an integer or any string (default 20241124)', parseSeed)
    .option('--drivers <n>', 'top drivers to list per scenario', (s: string) => parseTrial(s), 3)
    .addOption(toleranceOption())
    .addOption(
      workersOption(
        'threads, one scenario each at a time (default: every core for several files; the same table either way)',
      ),
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .option('-o, --out <path>', 'write the table to a file (atomically)')
    .option('-q, --quiet', 'no messages on stderr')
    .addOption(setOption('a param in every scenario'))
    .addHelpText(
      'after',
      '\nExample:\n  entente table scenarios/baku-israel/baseline.yaml scenarios/baku-israel/turkish-escalation.yaml --at 12,24,36',
    )
    .action(async (files: string[], flags) => {
      exit.code = await tableCommand(files, flags, io);
    });

  program
    .command('sweep')
    .description(
      'Evaluate the primary outcome over a grid or a space-filling design of param values, every point on the same trials',
    )
    .argument('<file>', 'scenario file')
    .requiredOption(
      '--vary <NAME=LOW..HIGH[:STEPS]>',
      'a param to vary and its range; STEPS values on a grid (default 5) (repeatable)',
      parseVary,
    )
    .addOption(
      new Option('--design <design>', 'design of the points')
        .choices(['grid', 'lhs', 'sobol'])
        .default('grid'),
    )
    .option('--points <n>', 'points of an lhs or sobol design (default 16)', parseRuns)
    .addOption(setOption('a param'))
    .option('-n, --runs <n>', 'trials per point (default 40,000)', parseRuns)
    .option('-s, --seed <seed>', 'seed: the same trials at every point (default 20241124)', parseSeed)
    .option('--at <steps>', 'steps of interest besides the horizon, comma-separated', parseSteps)
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('-o, --out <path>', 'write the result to a file (atomically) instead of stdout')
    .addOption(
      workersOption(
        'threads, each a block of design points (default: every core from 100,000 trials in all; the same result either way)',
      ),
    )
    .option('-q, --quiet', 'no progress bar or messages on stderr')
    .option(
      '--shard <K/N|auto>',
      'evaluate only block K of N (0-based) of the design points; with --format json, for entente merge-sweep. auto: K and N from the batch system, as for run',
      parseShard,
    )
    .addHelpText(
      'after',
      `
Every point binds the varied params to numbers at run time and runs the same trials with the same
seed (common random numbers): each point is what \`entente run --set\` gives there, and on a grid
the difference from the previous value of the last --vary input is paired (see docs/EXPERIMENTS.md).
With --shard K/N the points are split into N contiguous blocks; \`entente merge-sweep\` joins the
blocks into exactly what the whole sweep prints (see docs/CLI.md).

Examples:
  entente sweep scenarios/baku-israel/baseline.yaml --vary turkey_weight=0.8..1.4:7
  entente sweep scenarios/baku-israel/baseline.yaml --vary turkey_weight=0.8..1.4:7 --at 12,24 --runs 20k
  entente sweep scenario.yaml --vary a=0..1 --vary b=2..5 --design sobol --points 64 --format csv --out sweep.csv
  entente sweep scenario.yaml --vary a=0..1:9 --vary b=2..5:9 --shard 0/4 --format json --out sweep-0.json`,
    )
    .action(async (file: string, flags) => {
      exit.code = await sweepCommand(file, flags, io);
    });

  program
    .command('merge-sweep')
    .description(
      'Join the blocks of a sharded sweep (sweep --shard K/N --format json) into what the whole sweep prints, bit for bit',
    )
    .argument('<file>', 'the scenario file the sweep was run on')
    .argument(
      '<shards...>',
      "block files in any order, folders (their *.json files) or quoted patterns ('sweep/*.json')",
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('-o, --out <path>', 'write the result to a file (atomically) instead of stdout')
    .option('-q, --quiet', 'no messages on stderr')
    .addHelpText(
      'after',
      `
Every block K of one N must be given exactly once, from one sweep (the same --vary, --design,
--points, --set, --runs, --seed and --at) of this scenario, by this engine version; anything else
is refused (exit 2) with every problem listed.

Example (a 9 × 9 grid in four blocks, e.g. a Kubernetes Indexed Job or a Slurm array with K = 0 … 3):
  entente sweep scenario.yaml --vary a=0..1:9 --vary b=2..5:9 --shard K/4 --format json --out sweep/block-K.json
  entente merge-sweep scenario.yaml sweep/ --format csv --out sweep.csv`,
    )
    .action((file: string, shards: string[], flags) => {
      exit.code = mergeSweepCommand(file, shards, flags, io);
    });

  program
    .command('init')
    .description('Write a commented starter scenario (and the JSON Schema for editors) into a folder')
    .argument('[dir]', 'folder to write into', '.')
    .option('--force', 'overwrite existing files')
    .option('-q, --quiet', 'no messages (the files written, the next step)')
    .addHelpText('after', '\nExample:\n  entente init my-scenario && entente run my-scenario/scenario.yaml')
    .action((dir: string, flags) => {
      exit.code = initCommand(dir, flags, flags.quiet ? { ...io, stdout: { write: () => true } } : io);
    });

  program
    .command('backtest')
    .description('Forecast every episode of a backtest file and score the forecasts against what happened')
    .argument('<file>', 'backtest file (YAML or JSON): a template scenario and episodes from history')
    .option('-n, --runs <n>', 'trials per episode (default 40,000)', parseRuns)
    .option('-s, --seed <seed>', 'seed, the same for every episode (default 20241124)', parseSeed)
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('-o, --out <path>', 'write the result to a file (atomically) instead of stdout')
    .option('-q, --quiet', 'no progress bar or messages on stderr')
    .addOption(
      workersOption(
        'worker threads, each forecasting whole episodes (default: every core from 10,000,000 trials, episodes × runs); results do not depend on it',
      ),
    )
    .addHelpText(
      'after',
      `
Scores: Brier, log score (clipped), discrete-time survival log-likelihood, Brier skill against the
leave-one-out base rate, a reliability table and AUC. See docs/EVIDENCE.md.

Examples:
  entente backtest scenarios/israel-ties/backtest.yaml
  entente backtest scenarios/taiwan-allies/backtest.yaml --runs 20k --format json --out scores.json
  entente backtest scenarios/israel-ties/backtest.yaml --runs 200k --workers 4`,
    )
    .action(async (file: string, flags) => {
      exit.code = await backtestCommand(file, flags, io);
    });

  program
    .command('calibrate')
    .description(
      "Fit free params of a backtest's template to its episodes; report in-sample and cross-validated scores",
    )
    .argument('<file>', 'backtest file (see `entente backtest`)')
    .requiredOption('--free <NAME=LOW..HIGH>', 'a param to fit and its search range (repeatable)', parseFree)
    .option('-n, --runs <n>', 'trials per episode per evaluation (default 2,000)', parseRuns)
    .option('-s, --seed <seed>', 'seed: the same trials for every candidate (default 20241124)', parseSeed)
    .option(
      '--starts <n>',
      'Latin hypercube points before the local search (default max(20, 10 per param))',
      parseRuns,
    )
    .option('--max-evals <n>', 'evaluations of the local search (default 60 per param)', parseRuns)
    .option('--folds <k>', 'cross-validation folds, 0 for none (default 5)', (s: string) => parseTrial(s))
    .option(
      '--train-until <YYYY-MM>',
      'also fit on episodes up to this month and score the later ones',
      parseMonth,
    )
    .option('--write-scenario <path>', 'write the fitted model as a scenario that extends the template')
    .option(
      '--template <path>',
      "fit another template (a rival model) to the same episodes instead of the backtest's own",
    )
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['table', 'json', 'markdown'])
        .default('table'),
    )
    .addOption(
      workersOption(
        'threads, each a whole fit: the whole set, each fold, the out-of-time set (default: every core from 10,000,000 trials in all; the same result either way)',
      ),
    )
    .option('-o, --out <path>', 'write the result to a file (atomically) instead of stdout')
    .option('-q, --quiet', 'no messages on stderr')
    .addHelpText(
      'after',
      `
The objective is the simulated survival log-likelihood of the observed times, on common random
numbers; the search is a Latin hypercube then Nelder–Mead. See docs/EVIDENCE.md.

Examples:
  entente calibrate scenarios/israel-ties/backtest.yaml --free alpha=-7..-2 --free b_stance=0..6
  entente calibrate backtest.yaml --free a=-5..0 --train-until 2015-12 --write-scenario calibrated.yaml`,
    )
    .action(async (file: string, flags) => {
      exit.code = await calibrateCommand(file, flags, io);
    });

  program
    .command('discover')
    .description('Scenario discovery (PRIM): the box of input space where the primary outcome concentrates')
    .argument('<file>', 'scenario file')
    .option(
      '-n, --runs <n>',
      'trials, each kept in memory (default 20,000; at most 24,000,000 values: runs × (params + outcomes + reported values))',
      parseRuns,
    )
    .option('-s, --seed <seed>', 'seed: an integer or any string (default 20241124)', parseSeed)
    .option(
      '--outcome <name>',
      'the outcome whose first passage by the horizon makes a case (default: the primary)',
    )
    .option(
      '--where <clause>',
      'instead: a reported value at the horizon against a number, e.g. "tie < 0.5"',
      parseWhereFlag,
    )
    .option(
      '--inputs <names>',
      'random params PRIM may restrict, comma-separated (default: every one)',
      parseInputs,
    )
    .option('--alpha <share>', 'share of the box each peel removes (default 0.05)', parseShare(0.5))
    .option(
      '--threshold <density>',
      'choose the box with the largest coverage at least this dense (default: the best F1 of density and coverage)',
      parseShare(1, true),
    )
    .option(
      '--min-support <share>',
      'peel no further than this share of the trials (default 0.05)',
      parseShare(1),
    )
    .option('--no-paste', 'do not paste the chosen box (extend its limits back while its density rises)')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('-o, --out <path>', 'write the result to a file (atomically) instead of stdout')
    .option('-q, --quiet', 'no messages on stderr')
    .addHelpText(
      'after',
      `
PRIM (Friedman & Fisher 1999, as in EMA Workbench) peels the box of all trials, 5% at a time, at
the end of the input whose removal most raises the share of cases in the box; the table shows that
trajectory and the chosen box's limits in words, as quantiles of each prior, with quasi-p-values.
Every trial's inputs stay in memory, so --runs is bounded (see docs/EXPERIMENTS.md).

Examples:
  entente discover scenarios/baku-israel/baseline.yaml
  entente discover scenarios/baku-israel/baseline.yaml --threshold 0.5 --runs 50k
  entente discover scenario.yaml --outcome reached_suspend --inputs turkey_weight,turkey_leverage,oil
  entente discover scenario.yaml --where "tie < 0.5" --format json --out boxes.json`,
    )
    .action((file: string, flags) => {
      exit.code = discoverCommand(file, flags, io);
    });

  program
    .command('sensitivity')
    .description(
      "Which inputs matter: Sobol indices with intervals and the noise share, Morris screening, or a tornado of P at each input's 10th and 90th percentile",
    )
    .argument('<file>', 'scenario file')
    .addOption(
      new Option('-m, --method <method>', 'sobol, morris or tornado')
        .choices(SENSITIVITY_METHODS)
        .default('sobol'),
    )
    .option(
      '-i, --inputs <items>',
      'inputs, comma-separated: a param, a glob (oil*), an interest or pressure (@turkey), or params joined by + (default: every random param)',
      parseInputList,
    )
    .option(
      '--output <name>',
      'an outcome (P by the horizon) or a reported value at the horizon (default: the primary outcome)',
    )
    .option(
      '-n, --runs <n>',
      'trials per matrix (sobol, default 20,000), per design point (morris, 2,000) or per end (tornado, 20,000)',
      parseRuns,
    )
    .option('-s, --seed <seed>', 'seed: an integer or any string (default 20241124)', parseSeed)
    .option(
      '--resamples <n>',
      'sobol: bootstrap resamples behind each interval (default 500)',
      parseResamples,
    )
    .option('--trajectories <r>', 'morris: trajectories (default 10)', parseRuns)
    .option('--levels <p>', 'morris: levels per input, even (default 4)', parseLevels)
    .addOption(
      workersOption(
        "threads, each a block of one column's trials: a Sobol matrix, a tornado end, a Morris point (default: every core from 400,000 trials in all; the same result either way)",
      ),
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('-o, --out <path>', 'write the result to a file (atomically) instead of stdout')
    .option('-q, --quiet', 'no progress bar or messages on stderr')
    .addHelpText(
      'after',
      `
Sobol: first-order S and total S_T by pick-freeze (Saltelli 2010, Jansen), N(k + 2) trials for k
inputs and N more for the noise: the trial's own randomness (events, regimes, draws in formulas) is
not an input; its share is reported, and the indices of P(outcome | params) without it. Morris: μ*, μ, σ of elementary effects on the quantile scale, r(k + 1) design points.
Tornado: P at each input's 10th and 90th percentile on the same trials, 2k + 1 runs.
See docs/EXPERIMENTS.md for how to read them.

Examples:
  entente sensitivity scenarios/baku-israel/baseline.yaml
  entente sensitivity scenarios/baku-israel/baseline.yaml --inputs @oil,@arms,@iran_counterweight,@opinion,@turkey,@iran,decision_lambda,decision_inertia
  entente sensitivity scenarios/baku-israel/baseline.yaml --method morris --trajectories 20
  entente sensitivity scenarios/baku-israel/baseline.yaml --method tornado --inputs "oil*,turkey*"
  entente sensitivity scenario.yaml --output tie --format json --out sobol.json`,
    )
    .action(async (file: string, flags) => {
      exit.code = await sensitivityCommand(file, flags, io);
    });

  program
    .command('schema')
    .description('Print the JSON Schema of scenario documents, or of backtest files (for editors)')
    .option('-o, --out <path>', 'write it to a file')
    .option('--backtest', 'the schema of backtest files instead')
    .addHelpText(
      'after',
      '\nExamples:\n  entente schema --out entente.schema.json\n  entente schema --backtest --out scenarios/backtest.schema.json',
    )
    .action((flags) => {
      exit.code = schemaCommand(flags, io);
    });

  return program;
}

/** Run the CLI and return its exit code; never throws for a user's mistake. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const exit = { code: EXIT.ok as number };
  const program = makeProgram(io, exit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit.code;
  } catch (e) {
    return report(e, io);
  }
}

function report(e: unknown, io: CliIO): number {
  if (e instanceof CommanderError) {
    // Help and version exit 0; commander has already printed usage errors.
    return e.exitCode === 0 ? EXIT.ok : EXIT.input;
  }
  if (e instanceof ScenarioError) {
    for (const i of e.issues) io.stderr.write(`${formatIssue(i)}\n`);
    io.stderr.write(`${e.issues.length} problem(s); nothing was run\n`);
    return EXIT.input;
  }
  if (e instanceof UsageError || e instanceof ShardError) {
    io.stderr.write(`error: ${e.message}\n`);
    return EXIT.input;
  }
  if (e instanceof SimulationError || e instanceof OutputError || e instanceof EvidenceError) {
    io.stderr.write(`error: ${e.message}\n`);
    return EXIT.runtime;
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT' || err?.code === 'EACCES' || err?.code === 'EISDIR') {
    io.stderr.write(`error: ${err.message}\n`);
    return EXIT.runtime;
  }
  io.stderr.write(`internal error (please report it): ${err?.stack ?? String(e)}\n`);
  return EXIT.runtime;
}

/** A repeatable option's values, in the order given. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
