import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../src/paths.js';

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  /** Resolves when the process exits: its exit code, or the signal that ended it. */
  exitStatus: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the server wrote on stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after 5 s; removes the data folder. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would; keeps the data folder until the test process exits (a restart may reuse it). */
  kill9(): Promise<void>;
}

const entry = join(projectRoot, 'dist', 'src', 'index.js');
const sourceDirs = ['src', 'dialogs', 'cards', 'scripts'].map((d) => join(projectRoot, d));
const children = new Set<ChildProcess>();
const createdDirs = new Set<string>();

function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

process.once('exit', () => {
  killChildren();
  for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
});
// A test worker stopped by a signal does not run 'exit' handlers: kill the servers first, then die of the signal.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    killChildren();
    process.kill(process.pid, signal);
  });
}

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let built: Promise<void> | undefined;

/**
 * `npm run build`, once per test process: skipped when dist/ is newer than every source file; a lock directory keeps
 * parallel test files from compiling at the same time.
 */
export function buildOnce(): Promise<void> {
  built ??= build();
  return built;
}

async function build(): Promise<void> {
  const lock = join(projectRoot, 'test-results', '.build-lock');
  mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('test server: waited too long for another build');
      await sleep(250);
    }
  }
  try {
    const compiledAt = existsSync(entry) ? statSync(entry).mtimeMs : 0;
    if (compiledAt >= Math.max(...sourceDirs.map(newestMtime))) return;
    const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`test server: npm run build failed\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The Node.js flags `npm start` gives the server (package.json: `node <flags> dist/src/index.js`), so that tests and
 * the benchmark run it exactly as it is run.
 */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const match = /\bnode((?:\s+--\S+)*)\s+dist\/src\/index\.js/.exec(pkg.scripts.start);
  if (!match) throw new Error(`cannot read the node command of "npm start": ${pkg.scripts.start}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

/**
 * The real server as `npm start` runs it (`node <flags> dist/src/index.js`, after one build), in local mode, with
 * its own port and data folder. Children are killed when the test process exits, whatever happens.
 */
export async function startServer(
  options: { env?: Record<string, string>; dataDir?: string; timeoutMs?: number } = {},
): Promise<RunningServer> {
  await buildOnce();
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'assistant-test-'));
  if (!options.dataDir) createdDirs.add(dataDir);
  const child = spawn(process.execPath, [...startNodeFlags(), entry], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Empty values win over a developer's .env (dotenv never overrides what is set): local mode, local Direct Line.
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      MicrosoftAppTenantId: '',
      DIRECT_LINE_SECRET: '',
      PUBLIC_URL: '',
      STORAGE: 'lowdb',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitStatus = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const exited = exitStatus.then(() => undefined);
  void exited.then(() => children.delete(child));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `test server: exited with ${child.exitCode ?? child.signalCode} before /healthz\n${output}`,
      );
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`test server: no /healthz after ${options.timeoutMs ?? 20_000} ms\n${output}`);
    }
    await sleep(50);
  }

  const wait = async (ms: number) => Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
  return {
    url,
    port,
    dataDir,
    pid: child.pid!,
    exitStatus,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await wait(5000))) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
