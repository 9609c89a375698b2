import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../src/paths.js';

const children = new Set<ChildProcess>();

/** SIGKILL every server the benchmark started and that is still running. */
export function killAllChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

process.once('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

import { freePort, startNodeFlags } from '../test/helpers/server.js';

export { freePort, startNodeFlags };

/**
 * `tsc -p tsconfig.build.json`, into a private copy of dist/ (test-results/bench-dist, git-ignored): the same build,
 * but a test or a developer running `npm run build` meanwhile cannot swap files under the servers being measured
 * (seen: a server failing to start on a half-written dist/src/storage/createStorage.js). Returns the entry point.
 */
export function buildForBench(): string {
  const outDir = join(projectRoot, 'test-results', 'bench-dist');
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    { cwd: projectRoot, stdio: 'inherit' },
  );
  return join(outDir, 'src', 'index.js');
}

/** The assistant's environment in the benchmark: local mode, lowdb in `dataDir`, whatever a developer's .env says. */
export function assistantEnv(dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    STORAGE: 'lowdb',
    LOG_LEVEL: 'info',
    // empty values win over a developer's .env: local mode, local Direct Line
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    MicrosoftAppTenantId: '',
    MicrosoftAppType: '',
    DIRECT_LINE_SECRET: '',
    PUBLIC_URL: '',
    BLOB_CONNECTION_STRING: '',
    BLOB_CONTAINER: '',
  };
}

/** The bare Bot Framework echo bot (bench/baselineServer.ts), the benchmark's reference: the SDK as published. */
export async function startBaseline(): Promise<ServerProcess> {
  return startServer({
    name: 'baseline',
    args: ['--import', 'tsx', join(projectRoot, 'bench/baselineServer.ts')],
    env: { NODE_ENV: 'production' },
    cwd: projectRoot,
    port: await freePort(),
    timeoutMs: 30_000,
  });
}

/**
 * The assistant's build at `entry` (`<build>/src/index.js`), started as `npm start` starts it (the Node.js flags of
 * package.json's start script), on lowdb in `dataDir`; `args` go between those flags and the entry.
 */
export async function startAssistantServer(options: {
  name: string;
  entry: string;
  dataDir: string;
  args?: string[];
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  return startServer({
    name: options.name,
    args: [...startNodeFlags(), ...(options.args ?? []), options.entry],
    env: { ...assistantEnv(options.dataDir), ...options.env },
    cwd: projectRoot,
    port: await freePort(),
    timeoutMs: 30_000,
  });
}

export interface ServerProcess {
  name: string;
  pid: number;
  url: string;
  /** Process start (spawn) to the first 200 from /healthz, in ms. */
  coldStartMs: number;
  output(): string;
  /** Peak resident set size of the server process so far (VmHWM), in MB. */
  peakRssMb(): number | undefined;
  /** Current resident set size (VmRSS), in MB. */
  rssMb(): number | undefined;
  /** CPU time the server process used so far (user + system), in ms. */
  cpuMs(): number | undefined;
  /** The same for its main thread alone (the event loop); the rest is GC helpers, libuv's pool and workers. */
  mainThreadCpuMs(): number | undefined;
  /** SIGTERM (so a --cpu-prof profile is written), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  port: number;
  timeoutMs: number;
}

function healthz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const clockTicks = 100; // USER_HZ on Linux

function procCpuMs(pid: number, thread?: number): number | undefined {
  try {
    const stat = readFileSync(thread ? `/proc/${pid}/task/${thread}/stat` : `/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Starts a server and waits for /healthz; every child is killed when the benchmark exits, whatever happens. */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...options.env,
      PORT: String(options.port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  // the end of the output, for error messages; all of it with SHOW_OUTPUT=all (bench/row.ts, e.g. with --trace-gc)
  const kept = process.env.SHOW_OUTPUT === 'all' ? 16_000_000 : 20_000;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-kept);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));

  const deadline = startedAt + options.timeoutMs;
  let coldStartMs = 0;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `bench: ${options.name} exited (${child.exitCode ?? child.signalCode}) before /healthz\n${output}`,
      );
    }
    if ((await healthz(options.port)) === 200) {
      coldStartMs = performance.now() - startedAt;
      break;
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bench: ${options.name} has no /healthz after ${options.timeoutMs} ms\n${output}`);
    }
    await sleep(5);
  }
  const pid = child.pid!;
  return {
    name: options.name,
    pid,
    url: `http://127.0.0.1:${options.port}`,
    coldStartMs,
    output: () => output,
    peakRssMb: () => mb(procStatusKb(pid, 'VmHWM')),
    rssMb: () => mb(procStatusKb(pid, 'VmRSS')),
    cpuMs: () => procCpuMs(pid),
    mainThreadCpuMs: () => procCpuMs(pid, pid),
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

function mb(kb: number | undefined): number | undefined {
  return kb === undefined ? undefined : Math.round((kb / 1024) * 10) / 10;
}

/**
 * Waits until a freshly started server stops burning CPU: the élus classifier trains after /healthz (seconds of CPU,
 * src/app.ts), which would otherwise be counted in the first rows.
 */
export async function settle(server: ServerProcess, maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  let before = server.cpuMs() ?? 0;
  while (performance.now() < deadline) {
    await sleep(500);
    const now = server.cpuMs() ?? 0;
    if (now - before < 50) return true;
    before = now;
  }
  return false;
}
