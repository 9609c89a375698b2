/**
 * Load test of the real server — not part of `npm test`. Run: `npx tsx test/load/load.ts [--users 200] [--dl-users 50]`.
 *
 * 1. Baseline: a bare echo bot (restify + CloudAdapter + conversation state), same load, same machine, same run.
 * 2. `/api/messages` with `deliveryMode: "expectReplies"`: `--users` people take the quick check at once
 *    ("diagnostic rapide" + 13 answers each), every reply checked.
 * 3. Direct Line (the web page's channel): `--dl-users` people do the same through `/api/directline/token`,
 *    Direct Line 3.0 and its WebSocket, each from its own loopback address (127.0.0.x) as browsers would.
 * Then the server is stopped and every person's diagnostic is read back from DATA_DIR: 13 answers, the ones sent.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { loadReferentials } from '../../src/domain/referential/load.js';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';
import { indicatorsInScope } from '../../src/domain/scoring/scope.js';
import { projectRoot, referentialDir } from '../../src/paths.js';
import { BotClient, readable, typedAnswers, type ReplyActivity } from '../helpers/botClient.js';
import { startServer } from '../helpers/server.js';
import { openRecords } from '../reliability/records.js';

const { values: args } = parseArgs({
  options: { users: { type: 'string', default: '200' }, 'dl-users': { type: 'string', default: '50' } },
});
const users = Number(args.users);
const dlUsers = Number(args['dl-users']);

const quickIndicators = indicatorsInScope(loadReferentials(referentialDir).maturity, { kind: 'quick' }).map(
  (ref) => ref.indicateur.number,
);
const typed = typedAnswers;
const answerValues = Object.keys(typed) as AnswerValue[];

interface Run {
  name: string;
  turns: number;
  errors: string[];
  latencies: number[];
  durationMs: number;
}

/** The quick check's 14 turns: what to say, what the reply must show. */
function script(): { say: string; expect: string; value?: AnswerValue }[] {
  const steps: { say: string; expect: string; value?: AnswerValue }[] = [
    { say: 'diagnostic rapide', expect: 'Question 1 / 13' },
  ];
  for (let n = 1; n <= 13; n++) {
    const value = answerValues[Math.floor(Math.random() * 4)]!;
    steps.push({ say: typed[value], value, expect: n < 13 ? `Question ${n + 1} / 13` : 'Résultats' });
  }
  return steps;
}

async function runAll(
  name: string,
  count: number,
  person: (i: number, run: Run) => Promise<void>,
): Promise<Run> {
  const run: Run = { name, turns: 0, errors: [], latencies: [], durationMs: 0 };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      person(i, run).catch((err: unknown) => void run.errors.push(`${name} #${i}: ${String(err)}`)),
    ),
  );
  run.durationMs = performance.now() - started;
  return run;
}

async function timed<T>(run: Run, turn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await turn();
  run.latencies.push(performance.now() - t0);
  run.turns++;
  return result;
}

// ——— 1. baseline ———

async function startBaseline(): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'test', 'load', 'echoBaseline.ts')],
    {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

async function baseline(url: string): Promise<Run> {
  return runAll('baseline echo', users, async (_i, run) => {
    const client = new BotClient(url);
    for (let n = 1; n <= 14; n++) {
      const reply = await timed(run, () => client.say(`message ${n}`));
      if (reply.status !== 200 || !reply.text.includes(`écho ${n} :`))
        run.errors.push(`baseline: ${reply.status}`);
    }
  });
}

// ——— 2. /api/messages, expectReplies ———

interface Sent {
  respondentId: string;
  answers: Map<number, AnswerValue>;
}

async function expectReplies(url: string, sent: Sent[]): Promise<Run> {
  return runAll('/api/messages expectReplies', users, async (_i, run) => {
    const client = new BotClient(url);
    const mine: Sent = { respondentId: `test:${client.userId}`, answers: new Map() };
    sent.push(mine);
    for (const [n, step] of script().entries()) {
      const reply = await timed(run, () => client.say(step.say));
      if (reply.status !== 200 || !reply.text.includes(step.expect)) {
        throw new Error(`turn ${n}: status ${reply.status}, expected « ${step.expect} »`);
      }
      if (step.value) mine.answers.set(quickIndicators[n - 1]!, step.value);
    }
  });
}

// ——— 3. Direct Line ———

function http(
  agent: Agent,
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
      },
    );
    req.once('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function directLine(url: string, sent: Sent[]): Promise<Run> {
  return runAll('Direct Line 3.0 (WebSocket)', dlUsers, async (i, run) => {
    const localAddress = `127.0.0.${10 + i}`;
    const agent = new Agent({ keepAlive: true, localAddress });
    const issued = await http(agent, 'POST', `${url}/api/directline/token`, {});
    if (issued.status !== 200) throw new Error(`token: ${issued.status} ${JSON.stringify(issued.json)}`);
    const { token, domain, userId } = issued.json as { token: string; domain: string; userId: string };
    const started = await http(agent, 'POST', `${domain}/conversations`, {}, token);
    if (started.status >= 300) throw new Error(`start: ${started.status}`);
    const { conversationId, streamUrl } = started.json as { conversationId: string; streamUrl: string };

    const inbox: ReplyActivity[] = [];
    let wake: (() => void) | undefined;
    const socket = new WebSocket(streamUrl, { localAddress });
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (!text.trim()) return;
      const set = JSON.parse(text) as { activities?: (ReplyActivity & { from?: { id?: string } })[] };
      inbox.push(...(set.activities ?? []).filter((a) => a.from?.id !== userId));
      wake?.();
    });
    await new Promise<void>((resolve, reject) => socket.once('open', resolve).once('error', reject));

    const mine: Sent = { respondentId: `web:${userId}`, answers: new Map() };
    sent.push(mine);
    try {
      for (const [n, step] of script().entries()) {
        await timed(run, async () => {
          inbox.length = 0;
          const posted = await http(
            agent,
            'POST',
            `${domain}/conversations/${conversationId}/activities`,
            { type: 'message', from: { id: userId }, text: step.say, locale: 'fr-FR', id: randomUUID() },
            token,
          );
          if (posted.status >= 300)
            throw new Error(`turn ${n}: post ${posted.status} ${JSON.stringify(posted.json)}`);
          const deadline = Date.now() + 30_000;
          while (!readable(inbox).includes(step.expect)) {
            if (Date.now() > deadline) throw new Error(`turn ${n}: no « ${step.expect} » within 30 s`);
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, 1_000);
            });
          }
        });
        if (step.value) mine.answers.set(quickIndicators[n - 1]!, step.value);
      }
    } finally {
      socket.close();
      agent.destroy();
    }
  });
}

// ——— report ———

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function describeRun(run: Run): Record<string, string | number> {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  return {
    run: run.name,
    turns: run.turns,
    errors: run.errors.length,
    'duration s': +(run.durationMs / 1000).toFixed(2),
    'turns/s': Math.round(run.turns / (run.durationMs / 1000)),
    'p50 ms': Math.round(percentile(sorted, 50)),
    'p95 ms': Math.round(percentile(sorted, 95)),
    'p99 ms': Math.round(percentile(sorted, 99)),
    'max ms': Math.round(sorted.at(-1) ?? NaN),
  };
}

async function verify(dataDir: string, sent: Sent[]): Promise<{ checked: number; lost: string[] }> {
  const { service } = openRecords(dataDir);
  const lost: string[] = [];
  let checked = 0;
  for (const person of sent) {
    const diagnostic = await service.activeDiagnostic(person.respondentId);
    const answers = diagnostic ? Object.values(diagnostic.answers) : [];
    if (!diagnostic?.finishedAt || answers.length !== 13)
      lost.push(`${person.respondentId}: ${answers.length} answers`);
    for (const [indicator, value] of person.answers) {
      checked++;
      if (diagnostic?.answers[indicator]?.value !== value)
        lost.push(`${person.respondentId}: indicator ${indicator}`);
    }
  }
  return { checked, lost };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'assistant-load-'));
  const server = await startServer({ dataDir, env: { LOG_LEVEL: 'warn' }, timeoutMs: 60_000 });
  const runs: Run[] = [];
  const sent: Sent[] = [];
  let directLineNote = '';
  try {
    await new BotClient(server.url).say('menu');
    const echo = await startBaseline();
    try {
      await new BotClient(echo.url).say('échauffement');
      runs.push(await baseline(echo.url));
    } finally {
      echo.stop();
    }
    runs.push(await expectReplies(server.url, sent));
    if (dlUsers > 0) {
      const probe = await fetch(`${server.url}/api/directline/token`, { method: 'POST' }).catch(
        () => undefined,
      );
      if (probe?.status === 200) runs.push(await directLine(server.url, sent));
      else
        directLineNote = `Direct Line skipped: POST /api/directline/token answered ${probe?.status ?? 'nothing'}`;
    }
  } finally {
    await server.stop();
  }
  const { checked, lost } = await verify(dataDir, sent);
  await rm(dataDir, { recursive: true, force: true });

  console.log(
    `\nLoad test — ${users} users over /api/messages, ${dlUsers} over Direct Line; node ${process.version}, ` +
      `load average before/after ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  console.table(runs.map(describeRun));
  if (directLineNote) console.log(directLineNote);
  console.log(`answers read back from DATA_DIR after stop: ${checked} checked, ${lost.length} lost or wrong`);
  for (const error of runs.flatMap((r) => r.errors).slice(0, 10)) console.log(`error: ${error}`);
  for (const problem of lost.slice(0, 10)) console.log(`lost: ${problem}`);
  const failed = runs.some((r) => r.errors.length > 0) || lost.length > 0;
  process.exit(failed ? 1 : 0);
}

void main();
