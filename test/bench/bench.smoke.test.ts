import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const requiredKeys = ['throughputRatio', 'flatRatio', 'p99Ms', 'coldStartMs', 'rssMb'] as const;

/** Runs `bench/run.ts --smoke` (a few conversations, 50 stored diagnostics) in its own process group. */
function runSmoke(timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'bench', 'run.ts'), '--smoke', '--no-build'],
      {
        cwd: projectRoot,
        env: { ...process.env, NODE_ENV: 'test' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // the whole group: the driver and every server it started
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`bench --smoke still running after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run bench -- --smoke', () => {
  it('runs end to end and ends with one JSON line carrying the budget figures', async () => {
    const { code, stdout, stderr } = await runSmoke(150_000);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    for (const key of requiredKeys) {
      expect(typeof summary[key], `${key} in ${lines.at(-1)}`).toBe('number');
      expect(Number.isFinite(summary[key]), `${key} in ${lines.at(-1)}`).toBe(true);
    }
    expect(summary.errors).toBe(0);
    expect(stdout).toMatch(/baseline echo/);
    expect(stdout).toMatch(/Direct Line/);
  }, 160_000);
});
