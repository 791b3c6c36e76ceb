import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { benchList } from './b1-list.js';
import { benchReport } from './b2-report.js';
import { benchReminders } from './b3-reminders.js';
import { benchWrite } from './b4-write.js';
import { benchKpis } from './kpis.js';
import { type Comparison, benchConfig, createBenchDatabase, log } from './bench-kit.js';

const USAGE = `npm run bench -- [--quick] [--programmes N] [--rounds N] [--only B1,B2,B3,B4,KPI]

  --quick         1,000 programmes, 3,000 reminders, 2-second load runs (under 3 minutes)
  --programmes N  size of the portfolio for B1, B2 and B4 (default 10,000)
  --rounds N      interleaved rounds per comparison (default 3, at least 3)
  --only LIST     run only these benchmarks (growth runs with B1 and B2)`;

interface Options {
  quick: boolean;
  programmes: number;
  rounds: number;
  only: Set<string>;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      programmes: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      only: { type: 'string', default: 'B1,B2,B3,B4,KPI' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const whole = (name: string, value: string, min: number) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min) {
      process.stderr.write(`${name} must be a whole number of at least ${min}\n\n${USAGE}\n`);
      process.exit(2);
    }
    return number;
  };
  return {
    quick: values.quick,
    programmes: whole('--programmes', values.programmes ?? (values.quick ? '1000' : '10000'), 100),
    rounds: whole('--rounds', values.rounds, 3),
    only: new Set(values.only.split(',').map((name) => name.trim().toUpperCase())),
  };
}

interface GrowthRow {
  programmes: number;
  listReqPerSecond?: number;
  listP99Ms?: number;
  reportMs?: number;
  bareReportMs?: number;
}

async function main(): Promise<void> {
  const opts = options();
  const started = performance.now();
  const durationSeconds = opts.quick ? 2 : 10;
  const poolSize = benchConfig().DATABASE_POOL_SIZE;
  const sizes = [
    ...new Set((opts.quick ? [250, 500] : [1_000, 10_000, 50_000]).concat(opts.programmes)),
  ].sort((a, b) => a - b);
  const comparisons: Comparison[] = [];
  const growth: GrowthRow[] = [];

  const growthRuns = opts.only.has('B1') || opts.only.has('B2');
  const portfolios = growthRuns
    ? sizes
    : opts.only.has('B4') || opts.only.has('KPI')
      ? [opts.programmes]
      : [];
  for (const programmes of portfolios) {
    const primary = programmes === opts.programmes;
    log(`\nPortfolio of ${programmes.toLocaleString('en')} programmes: generating…`);
    const database = await createBenchDatabase(`p${programmes}`, programmes);
    const row: GrowthRow = { programmes };
    try {
      if (opts.only.has('B1')) {
        log(`B1 list API (${programmes} programmes)`);
        const b1 = await benchList(database, { rounds: opts.rounds, durationSeconds, poolSize });
        Object.assign(row, {
          listReqPerSecond: b1.service['req/s'],
          listP99Ms: b1.service['p99 ms'],
        });
        if (primary) comparisons.push(b1);
      }
      if (opts.only.has('B2')) {
        log(`B2 report compile (${programmes} programmes)`);
        const b2 = await benchReport(database, { rounds: opts.rounds });
        Object.assign(row, { reportMs: b2.service.ms, bareReportMs: b2.baseline.ms });
        if (primary) comparisons.push(b2);
      }
      if (primary && opts.only.has('KPI')) {
        log(`KPIs against the list's first page (${programmes} programmes)`);
        comparisons.push(
          await benchKpis(database, { rounds: opts.rounds, durationSeconds, poolSize }),
        );
      }
      if (primary && opts.only.has('B4')) {
        log(`B4 write path (${programmes} programmes)`);
        comparisons.push(
          await benchWrite(database, { rounds: opts.rounds, durationSeconds, poolSize }),
        );
      }
    } finally {
      await database.drop();
    }
    if (growthRuns) growth.push(row);
  }

  if (opts.only.has('B3')) {
    const reminders = opts.quick ? 3_000 : 100_000;
    for (const queues of ['redis', 'postgres'] as const) {
      log(`\nB3 reminders (${reminders.toLocaleString('en')}), queues ${queues}`);
      comparisons.push(await benchReminders({ reminders, rounds: opts.rounds, queues }));
    }
  }

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const report = {
    date: new Date().toISOString(),
    machine,
    options: { ...opts, only: [...opts.only] },
    comparisons,
    growth,
    seconds: (performance.now() - started) / 1000,
  };
  print(report);
  mkdirSync('test-artifacts/bench', { recursive: true });
  const file = `test-artifacts/bench/bench-${opts.quick ? 'quick' : 'full'}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nWritten to ${file}\n`);
}

const number = (value: number | undefined, digits = 1) =>
  value === undefined ? '-' : value.toLocaleString('en', { maximumFractionDigits: digits });

function print(report: {
  machine: Record<string, unknown>;
  comparisons: Comparison[];
  growth: GrowthRow[];
  seconds: number;
}): void {
  const lines = [
    `\nMachine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}`,
    '',
    `${'Benchmark'.padEnd(20)} ${'service'.padEnd(44)} ${'baseline'.padEnd(34)} ${'ratio'.padStart(6)}  target`,
  ];
  for (const c of report.comparisons) {
    const side = (figures: Record<string, number>) =>
      Object.entries(figures)
        .map(([key, value]) => `${number(value)} ${key}`)
        .join(', ');
    lines.push(
      `${c.name.padEnd(20)} ${side(c.service).padEnd(44)} ${side(c.baseline).padEnd(34)} ${c.ratio.toFixed(2).padStart(6)}  ${c.met ? 'met' : 'NOT MET'}: ${c.target}`,
    );
    for (const note of c.notes) lines.push(`${''.padEnd(20)} ${note}`);
  }
  if (report.growth.length > 0) {
    lines.push(
      '',
      'Growth        B1 req/s   B1 p99 ms   B2 ms   B2 bare ms   B2 ms per 1,000 programmes',
    );
    for (const row of report.growth) {
      lines.push(
        `${number(row.programmes).padStart(7)} ${number(row.listReqPerSecond, 0).padStart(12)} ${number(row.listP99Ms).padStart(11)} ${number(row.reportMs, 0).padStart(7)} ${number(row.bareReportMs, 0).padStart(12)} ${row.reportMs === undefined ? '-' : number((row.reportMs / row.programmes) * 1000).padStart(28)}`,
      );
    }
  }
  lines.push('', `Finished in ${number(report.seconds, 0)} s`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
