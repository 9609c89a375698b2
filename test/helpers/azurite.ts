import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { projectRoot } from '../../src/paths.js';

export const azuriteAccountName = 'devstoreaccount1';
export const azuriteAccountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${azuriteAccountName};AccountKey=${azuriteAccountKey};` +
    `BlobEndpoint=http://127.0.0.1:${port}/${azuriteAccountName};`
  );
}

export interface Azurite {
  port: number;
  connectionString: string;
  stop(): Promise<void>;
}

const azuriteBlobBin = join(projectRoot, 'node_modules', '.bin', 'azurite-blob');
const listeningLine = /successfully listens on https?:\/\/[^\s:]+:(\d+)/;
const exitWithParent =
  'data:text/javascript,process.stdin.on("end",()=>process.exit(0));process.stdin.resume();';

/**
 * Starts the Azurite blob emulator from node_modules on a free loopback port, in memory, without telemetry
 * (`extraArgs`: more of its flags, e.g. `--cert`, `--key`, `--oauth basic`).
 * Call `stop()` (e.g. in `afterAll`) to end its process group; it also exits by itself when this process dies.
 */
export async function startAzurite({
  startTimeoutMs = 30_000,
  extraArgs = [] as string[],
} = {}): Promise<Azurite> {
  const workDir = await mkdtemp(join(tmpdir(), 'azurite-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      exitWithParent,
      azuriteBlobBin,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--silent',
      '--inMemoryPersistence',
      '--extentMemoryLimit',
      '256',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
      ...extraArgs,
    ],
    { cwd: workDir, detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const stop = async () => {
    await killProcessGroup(child);
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const port = await waitForListeningPort(child, startTimeoutMs);
    await waitForConnection(port, startTimeoutMs);
    return { port, connectionString: azuriteConnectionString(port), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function waitForListeningPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`azurite: not listening after ${timeoutMs} ms\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = listeningLine.exec(output);
      if (match?.[1]) {
        cleanUp();
        resolve(Number(match[1]));
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`azurite: exited before listening (code ${code}, signal ${signal})\n${output}`));
    const cleanUp = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.stdout?.resume();
      child.stderr?.resume();
    };
    const fail = (err: Error) => {
      cleanUp();
      reject(err);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function waitForConnection(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    if (Date.now() > deadline) throw new Error(`azurite: port ${port} does not accept connections`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function killProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  signalGroup(child.pid, 'SIGTERM');
  const killTimer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 2_000);
  await exited;
  clearTimeout(killTimer);
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Azurite for the whole test file (started before its tests, stopped after), and a fresh container name per call. */
export function useAzurite(label: string): { connectionString(): string; newContainer(): string } {
  let azurite: Azurite | undefined;
  let containers = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.stop();
  });
  return {
    connectionString: () => {
      if (!azurite) throw new Error('azurite: not started yet (use it inside a test or a hook)');
      return azurite.connectionString;
    },
    newContainer: () => `${label}-${++containers}`,
  };
}
