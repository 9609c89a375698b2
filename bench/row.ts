/**
 * One row of the benchmark, for iterating on a fix: the baseline echo bot and the assistant (10 stored diagnostics),
 * measured alternately at one concurrency, with CPU per turn and RSS. Not part of `npm run bench`'s result.
 *
 *   node --import tsx bench/row.ts [concurrency=50] [seconds=4] [rounds=2] [--no-build] [--profile] [--by-turn]
 *
 * Environment: COMPARE_ENTRY (the `src/index.js` of another build, e.g. a git worktree's: measured as "compared" in
 * the same rounds, with its own data), ASSISTANT_NODE_ARGS (more Node.js flags for the assistants, e.g.
 * "--trace-gc"), SHOW_OUTPUT=1 (print
 * the end of the assistant's output; SHOW_OUTPUT=all: all of it), MALLOC_ARENA_MAX (passed to the assistant).
 * `--no-build` reuses the last build in test-results/bench-dist: rebuild after changing the sources. `--by-turn`
 * prints the last round's latencies for each turn of the quick self-check script (the first message creates the
 * records, the last shows the results).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/paths.js';
import { HttpClient } from './http.js';
import { quickCheckScript, readable, runLoad, type ReplyCheck } from './load.js';
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
import { fmt, median } from './stats.js';

const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
const [concurrency = 50, seconds = 4, rounds = 2] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map(Number);

const entry = flags.has('--no-build')
  ? join(projectRoot, 'test-results', 'bench-dist', 'src', 'index.js')
  : buildForBench();
mkdirSync(join(projectRoot, 'test-results', 'bench-data'), { recursive: true });
const dataDir = mkdtempSync(join(projectRoot, 'test-results', 'bench-data', 'row-'));
const profileDir = join(projectRoot, 'test-results', 'bench-profiles', 'row');
await seedDiagnostics(join(dataDir), 10, 10);

const check =
  (echo: boolean): ReplyCheck =>
  (activities) => {
    const text = readable(activities);
    if (activities.length === 0) return 'no reply';
    if (echo ? !text.includes('Écho') : /un problème technique/.test(text)) return text.slice(0, 80);
    return undefined;
  };

const servers: ServerProcess[] = [];
const dataDirs = [dataDir];
try {
  const baseline = await startBaseline();
  servers.push(baseline);
  if (flags.has('--profile')) mkdirSync(profileDir, { recursive: true });
  const startAssistant = async (name: string, script: string, data: string) => {
    const server = await startAssistantServer({
      name,
      entry: script,
      dataDir: data,
      args: [
        ...(flags.has('--profile') ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, name)] : []),
        ...(process.env.ASSISTANT_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      env: process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {},
    });
    servers.push(server);
    console.log(`${name}: cold start ${fmt(server.coldStartMs, 0)} ms, RSS at start ${server.rssMb()} MB`);
    if (!(await settle(server, 40_000))) console.log(`(${name} is still busy after start-up)`);
    return server;
  };
  const assistant = await startAssistant('assistant', entry, dataDir);
  const targets: [string, ServerProcess][] = [
    ['baseline', baseline],
    ['assistant', assistant],
  ];
  const compareEntry = process.env.COMPARE_ENTRY;
  if (compareEntry) {
    const otherData = mkdtempSync(join(projectRoot, 'test-results', 'bench-data', 'row-'));
    dataDirs.push(otherData);
    await seedDiagnostics(otherData, 10, 10);
    targets.push(['compared', await startAssistant('compared', compareEntry, otherData)]);
  }
  const results: Record<string, { tps: number[]; cpu: number[]; main: number[]; p99: number[] }> = {};
  const client = new HttpClient(concurrency + 4);
  for (let round = 0; round < rounds; round++) {
    for (const [name, server] of targets) {
      const cpu0 = server.cpuMs() ?? 0;
      const main0 = server.mainThreadCpuMs() ?? 0;
      const load0 = process.cpuUsage();
      const result = await runLoad({
        url: server.url,
        client,
        script: quickCheckScript,
        concurrency,
        durationMs: seconds * 1000,
        maxConversations: concurrency * 400,
        check: check(name === 'baseline' || name === 'echo-native'),
      });
      const cpuUs = (((server.cpuMs() ?? 0) - cpu0) * 1000) / result.turns;
      const mainUs = (((server.mainThreadCpuMs() ?? 0) - main0) * 1000) / result.turns;
      const load = process.cpuUsage(load0);
      const loadUs = (load.user + load.system) / result.turns;
      const row = (results[name] ??= { tps: [], cpu: [], main: [], p99: [] });
      row.tps.push(result.turnsPerSecond);
      row.cpu.push(cpuUs);
      row.main.push(mainUs);
      row.p99.push(result.latency.p99);
      console.log(
        `${name.padEnd(9)} ×${concurrency}: ${fmt(result.turnsPerSecond, 0)} turns/s, p50 ${fmt(result.latency.p50, 1)} ms, p99 ${fmt(result.latency.p99, 1)} ms, ${fmt(cpuUs, 0)} µs CPU/turn (main thread ${fmt(mainUs, 0)}; load generator ${fmt(loadUs, 0)} µs), errors ${result.errors} ${result.firstErrors[0] ?? ''}`,
      );
      if (flags.has('--by-turn') && round === rounds - 1) {
        const turns = result.latencyByTurn.map((l, turn) => `${turn + 1}: ${fmt(l.p50, 0)}/${fmt(l.p99, 0)}`);
        console.log(`  p50/p99 ms by turn of the script: ${turns.join(', ')}`);
      }
    }
  }
  const base = results.baseline!;
  for (const [name, server] of targets.slice(1)) {
    const r = results[name]!;
    console.log(
      `${name}: ratio ${fmt(median(r.tps) / median(base.tps), 3)}; CPU/turn ${fmt(median(r.cpu), 0)} µs (main thread ${fmt(median(r.main), 0)}) vs ${fmt(median(base.cpu), 0)} µs (${fmt(median(base.main), 0)}); p99 ${fmt(median(r.p99), 1)} ms; peak RSS ${server.peakRssMb()} MB`,
    );
  }
  console.log(`baseline: peak RSS ${baseline.peakRssMb()} MB`);
  client.close();
  if (process.env.SHOW_OUTPUT) {
    console.log(process.env.SHOW_OUTPUT === 'all' ? assistant.output() : assistant.output().slice(-6000));
  }
} finally {
  for (const server of servers) await server.stop();
  killAllChildren();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}
if (flags.has('--profile')) {
  for (const name of ['assistant', 'compared']) {
    const dir = join(profileDir, name);
    if (!existsSync(dir)) continue;
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('.001.cpuprofile'))
      .sort()
      .pop();
    if (file)
      console.log(
        `${name}:\n${formatProfile(file, summarizeProfile(readProfile(join(dir, file)), 30, 5000))}`,
      );
  }
}
