/**
 * `npm run bench` — the assistant against the bare Bot Framework stack, measured in one run on this machine.
 *
 *   node --import tsx bench/run.ts [--quick | --smoke] [--no-build] [--profile]
 *
 * Starts a baseline echo bot (bench/baselineServer.ts) and the assistant (`node dist/src/index.js`, lowdb in fresh
 * temporary DATA_DIRs seeded with 10 and with 10,000 stored diagnostics), drives quick self-checks through
 * POST /api/messages (expectReplies) at several concurrency levels and through the local Direct Line (WebSocket),
 * times an élus free question, and prints a table, the budget check and — as its last line — one JSON object.
 * The load generator runs in this process; every target is 127.0.0.1; every child is killed at the end.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../src/paths.js';
import { runDirectLine, type DirectLineOutcome } from './directline.js';
import { elusQuestions, runElus, type ElusOutcome } from './elus.js';
import { runElusInProcess, type ElusInProcessOutcome } from './elusInProcess.js';
import { HttpClient } from './http.js';
import {
  quickCheckScript,
  quickCheckTurns,
  readable,
  runLoad,
  type LoadResult,
  type ReplyCheck,
} from './load.js';
import {
  buildForBench,
  killAllChildren,
  type ServerProcess,
  settle,
  startAssistantServer,
  startBaseline,
} from './processes.js';
import { formatProfile, readProfile, summarizeProfile } from './profile.js';
import { seedDiagnostics } from './seed.js';
import { fmt, median, round } from './stats.js';

type Mode = 'full' | 'quick' | 'smoke';

interface Plan {
  mode: Mode;
  concurrencies: number[];
  rounds: number;
  warmupMs: number;
  durationMs: number;
  maxConversations: (concurrency: number) => number;
  seed: number;
  coldStartSamples: number;
  directLineConversations: number;
  elusSamples: number;
  /** The whole run, after which everything is killed. */
  budgetMs: number;
}

const plans: Record<Mode, Plan> = {
  full: {
    mode: 'full',
    concurrencies: [1, 10, 50],
    rounds: 3,
    warmupMs: 1500,
    durationMs: 8000,
    maxConversations: (c) => c * 400,
    seed: 10_000,
    coldStartSamples: 5,
    directLineConversations: 12,
    elusSamples: 40,
    budgetMs: 20 * 60_000,
  },
  quick: {
    mode: 'quick',
    concurrencies: [1, 10, 50],
    rounds: 1,
    warmupMs: 600,
    durationMs: 3500,
    maxConversations: (c) => c * 200,
    seed: 10_000,
    coldStartSamples: 3,
    directLineConversations: 5,
    elusSamples: 15,
    budgetMs: 170_000,
  },
  smoke: {
    mode: 'smoke',
    concurrencies: [1, 2],
    rounds: 1,
    warmupMs: 0,
    durationMs: 300,
    maxConversations: (c) => c * 2,
    seed: 50,
    coldStartSamples: 2,
    directLineConversations: 1,
    elusSamples: 2,
    budgetMs: 90_000,
  },
};

interface Target {
  key: 'baseline' | 'small' | 'large';
  label: string;
  stored: number | undefined;
  server: ServerProcess;
  check: ReplyCheck;
}

interface Measure extends LoadResult {
  round: number;
  /** Server CPU (user + system) per turn, µs. */
  cpuUsPerTurn: number;
}

const args = new Set(process.argv.slice(2));
const mode: Mode = args.has('--smoke') ? 'smoke' : args.has('--quick') ? 'quick' : 'full';
const plan = plans[mode];
const profiling = args.has('--profile');
const log = (line = '') => console.log(line);

const assistantCheck: ReplyCheck = (activities, turn, script) => {
  if (activities.length === 0) return 'no reply';
  const text = readable(activities);
  if (/un problème technique/.test(text)) return 'apology (the turn failed)';
  const questions = script.length - 1;
  if (turn < questions && !text.includes(`Question ${turn + 1} / ${questions}`)) {
    return `expected "Question ${turn + 1} / ${questions}", got "${text.slice(0, 80)}"`;
  }
  if (turn === questions && !/Résultats/.test(text))
    return `expected the results, got "${text.slice(0, 80)}"`;
  return undefined;
};

const echoCheck: ReplyCheck = (activities) =>
  activities.length > 0 && readable(activities).startsWith('Écho') ? undefined : 'no echo';

function build(): string {
  const started = performance.now();
  const entry = buildForBench();
  log(
    `build: tsc -p tsconfig.build.json --outDir test-results/bench-dist in ${fmt((performance.now() - started) / 1000, 1)} s`,
  );
  return entry;
}

let assistantEntry = join(projectRoot, 'dist', 'src', 'index.js');

function startAssistant(name: string, dataDir: string, profileDir?: string): Promise<ServerProcess> {
  // one file per thread (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile): thread 0 is the main thread
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, name)] : [];
  return startAssistantServer({ name, entry: assistantEntry, dataDir, args: profile });
}

async function measure(target: Target, concurrency: number, round: number): Promise<Measure> {
  const client = new HttpClient(concurrency + 4);
  try {
    const common = {
      url: target.server.url,
      client,
      script: quickCheckScript,
      concurrency,
      check: target.check,
    };
    if (plan.warmupMs > 0) {
      await runLoad({ ...common, durationMs: plan.warmupMs, maxConversations: concurrency * 20 });
    }
    const cpuBefore = target.server.cpuMs() ?? Number.NaN;
    const result = await runLoad({
      ...common,
      durationMs: plan.durationMs,
      maxConversations: plan.maxConversations(concurrency),
    });
    const cpuAfter = target.server.cpuMs() ?? Number.NaN;
    return { ...result, round, cpuUsPerTurn: ((cpuAfter - cpuBefore) * 1000) / Math.max(1, result.turns) };
  } finally {
    client.close();
  }
}

function table(rows: string[][], alignLeft: number[] = [0]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((row, r) =>
      row
        .map((cell, i) => (alignLeft.includes(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .concat(r === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : ''),
    )
    .join('\n');
}

async function main(): Promise<number> {
  const runStarted = performance.now();
  const watchdog = setTimeout(() => {
    console.error(`bench: over the ${plan.budgetMs / 1000} s budget of --${mode}: stopping everything`);
    killAllChildren();
    process.exit(1);
  }, plan.budgetMs);
  watchdog.unref();

  const cpu = cpus();
  log(
    `bench (${mode}) — ${cpu.length} × ${cpu[0]?.model ?? '?'}, node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (!args.has('--no-build')) assistantEntry = build();

  // Beside the project, like `npm start`'s ./data, not in /tmp: on this machine a new file costs ~0.8 ms in /tmp
  // and ~0.1–0.3 ms under /work (same disk; docs/benchmarks.md), and every conversation creates a few.
  const dataRoot = join(projectRoot, 'test-results', 'bench-data');
  mkdirSync(dataRoot, { recursive: true });
  const root = mkdtempSync(join(dataRoot, 'run-'));
  const profileDir = profiling ? join(projectRoot, 'test-results', 'bench-profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const servers: ServerProcess[] = [];
  try {
    const smallDir = join(root, 'stored-10');
    const largeDir = join(root, `stored-${plan.seed}`);
    const seededLarge = await seedDiagnostics(largeDir, plan.seed, 32);
    const seededSmall = await seedDiagnostics(smallDir, 10, 10);
    log(
      `seed: ${seededLarge.diagnostics.toLocaleString('en-US')} diagnostics (${seededLarge.files.toLocaleString('en-US')} files) ` +
        `in ${fmt(seededLarge.ms / 1000, 1)} s; ${seededSmall.diagnostics} in ${fmt(seededSmall.ms, 0)} ms`,
    );

    const baseline = await startBaseline();
    servers.push(baseline);
    const coldStarts: number[] = [];
    for (let i = 0; i < plan.coldStartSamples - 2; i++) {
      const extra = await startAssistant(`cold-${i}`, join(root, `cold-${i}`));
      coldStarts.push(extra.coldStartMs);
      await extra.stop();
    }
    // each server settles before the next one starts: a warming server would slow the next one's cold start
    const settleMs = mode === 'smoke' ? 1_000 : 40_000;
    const settleOrSay = async (server: ServerProcess) => {
      if (!(await settle(server, settleMs)))
        log(`  (${server.name} still busy after start-up: its first row may count it)`);
    };
    await settleOrSay(baseline);
    const small = await startAssistant('assistant-10', smallDir, profileDir);
    servers.push(small);
    coldStarts.push(small.coldStartMs);
    await settleOrSay(small);
    const large = await startAssistant(`assistant-${plan.seed}`, largeDir, profileDir);
    servers.push(large);
    coldStarts.push(large.coldStartMs);
    await settleOrSay(large);
    log(`cold start (spawn → /healthz 200): ${coldStarts.map((ms) => fmt(ms, 0)).join(', ')} ms`);

    const targets: Target[] = [
      { key: 'baseline', label: 'baseline echo', stored: undefined, server: baseline, check: echoCheck },
      { key: 'small', label: 'assistant', stored: 10, server: small, check: assistantCheck },
      { key: 'large', label: 'assistant', stored: plan.seed, server: large, check: assistantCheck },
    ];

    const results: Measure[][][] = targets.map(() => plan.concurrencies.map(() => []));
    for (let round = 0; round < plan.rounds; round++) {
      for (const [ci, concurrency] of plan.concurrencies.entries()) {
        for (const [ti, target] of targets.entries()) {
          const result = await measure(target, concurrency, round);
          results[ti]![ci]!.push(result);
          const stored = target.stored === undefined ? '' : ` (${target.stored} stored)`;
          log(
            `  round ${round + 1}/${plan.rounds}  ${target.label}${stored} × ${concurrency}: ${fmt(result.turnsPerSecond, 0)} turns/s, ` +
              `p50 ${fmt(result.latency.p50)} ms, p99 ${fmt(result.latency.p99)} ms, ${fmt(result.cpuUsPerTurn, 0)} µs CPU/turn` +
              (result.errors ? `, ${result.errors} errors: ${result.firstErrors.join(' | ')}` : ''),
          );
        }
      }
    }

    // The local Direct Line, then the élus question, on the 10-stored assistant.
    const dlClient = new HttpClient(8);
    let directLine: DirectLineOutcome;
    try {
      directLine = await runDirectLine({
        url: small.url,
        client: dlClient,
        script: quickCheckScript,
        conversations: plan.directLineConversations,
        durationMs: 60_000,
      });
    } catch (err) {
      directLine = { status: 'skipped', reason: `failed: ${(err as Error).message}` };
    } finally {
      dlClient.close();
    }
    const elusClient = new HttpClient(4);
    let elus: ElusOutcome;
    try {
      elus = await runElus({
        assistantUrl: small.url,
        baselineUrl: baseline.url,
        client: elusClient,
        samples: plan.elusSamples,
        durationMs: 30_000,
      });
    } catch (err) {
      elus = { status: 'skipped', reason: `failed: ${(err as Error).message}` };
    } finally {
      elusClient.close();
    }

    let elusInProcess: ElusInProcessOutcome;
    try {
      elusInProcess = await runElusInProcess({ samples: plan.elusSamples, durationMs: 30_000 });
    } catch (err) {
      elusInProcess = { status: 'skipped', reason: `failed: ${(err as Error).message}` };
    }
    // the budget figure: in-process when the harness can run the extension, else the HTTP difference
    const elusBotMs =
      elusInProcess.status === 'ok' ? elusInProcess.turn.p50 : elus.status === 'ok' ? elus.botMs : Number.NaN;

    const peak = {
      baseline: baseline.peakRssMb() ?? Number.NaN,
      small: small.peakRssMb() ?? Number.NaN,
      large: large.peakRssMb() ?? Number.NaN,
    };

    // ——— report ———
    const at = (target: Target['key'], concurrency: number) => {
      const ti = targets.findIndex((t) => t.key === target);
      return results[ti]![plan.concurrencies.indexOf(concurrency)]!;
    };
    const merged = (list: Measure[]) => {
      const latencies = list.map((m) => m.latency);
      return {
        tps: median(list.map((m) => m.turnsPerSecond)),
        p50: median(latencies.map((l) => l.p50)),
        p95: median(latencies.map((l) => l.p95)),
        p99: median(latencies.map((l) => l.p99)),
        max: Math.max(...latencies.map((l) => l.max)),
        cpu: median(list.map((m) => m.cpuUsPerTurn)),
        turns: list.reduce((sum, m) => sum + m.turns, 0),
        errors: list.reduce((sum, m) => sum + m.errors, 0),
      };
    };
    const rows = [
      [
        'target',
        'stored',
        'conc',
        'turns/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'CPU µs/turn',
        'turns',
        'errors',
      ],
    ];
    for (const concurrency of plan.concurrencies) {
      for (const target of targets) {
        const m = merged(at(target.key, concurrency));
        rows.push([
          target.label,
          target.stored === undefined ? '—' : target.stored.toLocaleString('en-US'),
          String(concurrency),
          fmt(m.tps, 0),
          fmt(m.p50),
          fmt(m.p95),
          fmt(m.p99),
          fmt(m.max, 0),
          fmt(m.cpu, 0),
          String(m.turns),
          String(m.errors),
        ]);
      }
    }
    const top = Math.max(...plan.concurrencies);
    const ratioPerRound = (a: Measure[], b: Measure[]) =>
      median(a.map((m, i) => m.turnsPerSecond / b[i]!.turnsPerSecond));
    const throughputRatio = ratioPerRound(at('small', top), at('baseline', top));
    const flatRatio = ratioPerRound(at('large', top), at('small', top));
    const cpuRatio = merged(at('small', top)).cpu / merged(at('baseline', top)).cpu;
    const p99Ms = merged(at('large', top)).p99;
    const coldStartMs = median(coldStarts);
    const rssMb = peak.large;
    // the stored people and their diagnostics must still be there: the server's retention purge once erased them at
    // start-up (seeded with old dates), so that the "10,000 stored" server held nobody's data any more
    const storedNames = readdirSync(join(largeDir, 'state'));
    const storedAtEnd = Math.min(
      storedNames.filter((name) => name.startsWith('diagnostic%2f')).length,
      storedNames.filter((name) => name.startsWith('respondent%2f')).length,
    );
    const totalErrors =
      results.flat(2).reduce((sum, m) => sum + m.errors, 0) + (storedAtEnd < plan.seed ? 1 : 0);

    log();
    log(
      `quick self-checks (${quickCheckTurns} turns each) through POST /api/messages (expectReplies), ` +
        `${plan.rounds} round(s) × ${fmt(plan.durationMs / 1000, 1)} s per row, medians over rounds:`,
    );
    log(table(rows, [0]));
    log();
    log(
      `throughput ratio at ${top} concurrent (assistant, 10 stored ÷ baseline): ${fmt(throughputRatio, 2)}; ` +
        `flat ratio (${plan.seed.toLocaleString('en-US')} stored ÷ 10 stored): ${fmt(flatRatio, 2)}; ` +
        `server CPU per turn ÷ baseline: ${fmt(cpuRatio, 1)}`,
    );
    log(
      `stored diagnostics and respondents still on disk after the ${plan.seed.toLocaleString('en-US')}-stored runs: ` +
        `${storedAtEnd.toLocaleString('en-US')}${storedAtEnd < plan.seed ? ' — MISSING ONES COUNT AS AN ERROR' : ''}`,
    );
    log(`cold start: median ${fmt(coldStartMs, 0)} ms of ${coldStarts.length} starts`);
    log(
      `peak RSS (VmHWM): baseline ${fmt(peak.baseline, 0)} MB, assistant 10 stored ${fmt(peak.small, 0)} MB, ` +
        `${plan.seed.toLocaleString('en-US')} stored ${fmt(peak.large, 0)} MB`,
    );
    if (directLine.status === 'ok') {
      const r = directLine.roundTrip;
      log(
        `Direct Line (WebSocket), ${directLine.conversations} conversations × ${quickCheckTurns} messages, one at a time: ` +
          `post → reply on the socket p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)}, p99 ${fmt(r.p99)}; ` +
          `POST response p50 ${fmt(directLine.postResponse.p50)} ms; token + start + socket p50 ${fmt(directLine.connect.p50)} ms` +
          (directLine.errors ? `; ${directLine.errors} errors: ${directLine.firstErrors.join(' | ')}` : ''),
      );
    } else {
      log(`Direct Line: SKIPPED — ${directLine.reason}`);
    }
    if (elus.status === 'ok') {
      log(
        `élus free question over HTTP ("${elusQuestions[0]}" and ${elusQuestions.length - 1} others), ${elus.samples} samples: ` +
          `round trip p50 ${fmt(elus.roundTrip.p50)} ms (p95 ${fmt(elus.roundTrip.p95)}), baseline echo p50 ${fmt(elus.echo.p50)} ms → ` +
          `bot time ${fmt(elus.botMs)} ms; first question after start ${fmt(elus.firstMs)} ms` +
          (elus.errors ? `; ${elus.errors} errors` : ''),
      );
    } else {
      log(`élus free question over HTTP: SKIPPED — ${elus.reason}`);
    }
    if (elusInProcess.status === 'ok') {
      const t = elusInProcess.turn;
      log(
        `élus free question in process (test/helpers/testBot: real router + élus extension, TestAdapter, MemoryStorage), ` +
          `${elusInProcess.samples} samples: p50 ${fmt(t.p50)} ms, p95 ${fmt(t.p95)}, max ${fmt(t.max)}; ` +
          `first ${fmt(elusInProcess.firstMs)} ms; loading the élus referential and index ${fmt(elusInProcess.loadMs, 0)} ms` +
          (elusInProcess.errors ? `; ${elusInProcess.errors} not understood` : ''),
      );
    } else {
      log(`élus free question in process: SKIPPED — ${elusInProcess.reason}`);
    }

    if (profileDir) {
      for (const server of servers) await server.stop(15_000);
      for (const server of servers.filter((s) => s !== baseline)) {
        const dir = join(profileDir, server.name);
        for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
          const thread = /\.(\d+)\.\d+\.cpuprofile$/.exec(name)?.[1];
          if (String(server.pid) !== /\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(name)?.[1]) continue;
          log();
          log(
            formatProfile(
              `${server.name}, ${thread === '0' ? 'main thread' : `worker thread ${thread}`} (${join(dir, name)})`,
              summarizeProfile(readProfile(join(dir, name)), 25),
            ),
          );
        }
      }
      log('(profiled run: --cpu-prof slows the assistant, its figures are not comparable to a normal run)');
    }

    const goals = [
      { key: 'throughputRatio', value: throughputRatio, ok: throughputRatio >= 0.5, goal: '≥ 0.5' },
      { key: 'flatRatio', value: flatRatio, ok: flatRatio >= 0.9, goal: '≥ 0.9' },
      { key: 'p99Ms', value: p99Ms, ok: p99Ms <= 50, goal: '≤ 50 ms' },
      { key: 'coldStartMs', value: coldStartMs, ok: coldStartMs <= 2000, goal: '≤ 2000 ms' },
      { key: 'rssMb', value: rssMb, ok: rssMb <= 200, goal: '≤ 200 MB' },
      ...(directLine.status === 'ok'
        ? [
            {
              key: 'directLineP50Ms',
              value: directLine.roundTrip.p50,
              ok: directLine.roundTrip.p50 <= 30,
              goal: '≤ 30 ms',
            },
          ]
        : []),
      ...(Number.isFinite(elusBotMs)
        ? [{ key: 'elusBotMs', value: elusBotMs, ok: elusBotMs <= 20, goal: '≤ 20 ms' }]
        : []),
    ];
    log();
    log(mode === 'smoke' ? 'budget (not checked in --smoke):' : 'budget:');
    for (const g of goals)
      log(`  ${g.ok ? 'ok  ' : 'MISS'}  ${g.key.padEnd(16)} ${fmt(g.value, 2).padStart(9)}   goal ${g.goal}`);
    if (directLine.status !== 'ok') log(`  skip  directLineP50Ms   (${directLine.reason})`);
    if (!Number.isFinite(elusBotMs))
      log(`  skip  elusBotMs         (${elus.status === 'skipped' ? elus.reason : ''})`);
    log(`total ${fmt((performance.now() - runStarted) / 1000, 0)} s`);

    const summary = {
      mode,
      throughputRatio: round(throughputRatio, 3),
      flatRatio: round(flatRatio, 3),
      p99Ms: round(p99Ms, 1),
      coldStartMs: round(coldStartMs, 0),
      rssMb: round(rssMb, 1),
      directLineP50Ms: directLine.status === 'ok' ? round(directLine.roundTrip.p50, 1) : null,
      elusBotMs: Number.isFinite(elusBotMs) ? round(elusBotMs, 1) : null,
      elusHttpBotMs: elus.status === 'ok' ? round(elus.botMs, 1) : null,
      baselineTurnsPerSecond: round(merged(at('baseline', top)).tps, 0),
      assistantTurnsPerSecond: round(merged(at('small', top)).tps, 0),
      assistantLargeTurnsPerSecond: round(merged(at('large', top)).tps, 0),
      concurrency: top,
      stored: plan.seed,
      errors: totalErrors,
      budgetMet: goals.every((g) => g.ok),
    };
    log(JSON.stringify(summary));
    if (totalErrors > 0) return 1;
    return mode !== 'smoke' && !summary.budgetMet && args.has('--strict') ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
    const cleanup = performance.now();
    await Promise.all(servers.map((s) => s.stop(profiling ? 15_000 : 3000).catch(() => undefined)));
    killAllChildren();
    const stopped = performance.now();
    rmSync(root, { recursive: true, force: true });
    // on stderr: the JSON stays the last line of stdout
    console.error(
      `bench: servers stopped in ${fmt((stopped - cleanup) / 1000, 1)} s, ` +
        `temporary data removed in ${fmt((performance.now() - stopped) / 1000, 1)} s`,
    );
  }
}

main().then(
  (code) => {
    killAllChildren();
    process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    killAllChildren();
    process.exit(1);
  },
);
