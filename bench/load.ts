import { randomUUID } from 'node:crypto';
import type { HttpClient } from './http.js';
import { summarize, type LatencySummary } from './stats.js';

const typedAnswers = ['oui', 'non', 'en partie'] as const;

/**
 * What simulated person number `n` types in a quick self-check: the command, then 13 answers drawn from
 * "oui" / "non" / "en partie" — different from one person to the next (so are their results and charts), the
 * same from one run to the next.
 */
export function quickCheckScript(n: number): string[] {
  let state = (n + 1) * 0x9e3779b1;
  const next = () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 4294967296;
  };
  return ['diagnostic rapide', ...Array.from({ length: 13 }, () => typedAnswers[Math.floor(next() * 3)]!)];
}

/** Turns in one quick self-check. */
export const quickCheckTurns = quickCheckScript(0).length;

export interface ReplyActivity {
  type?: string;
  text?: string;
  replyToId?: string;
  attachments?: { contentType?: string; content?: unknown }[];
}

/** Why a reply is not what a person should read at that turn; undefined when it is fine. */
export type ReplyCheck = (
  activities: ReplyActivity[],
  turn: number,
  script: readonly string[],
) => string | undefined;

export interface LoadOptions {
  url: string;
  client: HttpClient;
  /** What the n-th conversation types, message by message. */
  script: (n: number) => readonly string[];
  /** Simulated people talking at the same time, each awaiting every reply before typing the next message. */
  concurrency: number;
  /** The throughput window: no conversation starts after it. */
  durationMs: number;
  /** At most this many conversations in all (a count bound beside the time bound). */
  maxConversations: number;
  check: ReplyCheck;
  /** Per-request timeout. */
  timeoutMs?: number;
  channelId?: string;
}

export interface LoadResult {
  concurrency: number;
  conversations: number;
  /** Every turn's round trip, ms. */
  latency: LatencySummary;
  /** The same, per turn of the script (0: its first message). */
  latencyByTurn: LatencySummary[];
  /** Turns completed inside the steady window, per second. */
  turnsPerSecond: number;
  windowMs: number;
  turns: number;
  errors: number;
  firstErrors: string[];
}

export function expectRepliesActivity(
  conversationId: string,
  userId: string,
  text: string,
  channelId: string,
) {
  return {
    type: 'message',
    id: randomUUID(),
    channelId,
    serviceUrl: 'http://127.0.0.1:9/',
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId },
    from: { id: userId, name: 'Bench' },
    recipient: { id: 'assistant', name: 'Assistant' },
    locale: 'fr-FR',
    timestamp: new Date().toISOString(),
    text,
  };
}

/**
 * Simulated conversations through POST /api/messages with `deliveryMode: "expectReplies"`, `concurrency` at a time.
 * Conversations start until `durationMs` has passed (or `maxConversations` have started) and always run to their
 * end; the throughput counts the turns completed inside the steady window — from the start until the deadline or
 * until the first simulated person runs out of conversations, whichever comes first.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { client, concurrency, check } = options;
  const channelId = options.channelId ?? 'bench';
  const endpoint = `${options.url}/api/messages`;
  const latencies: number[] = [];
  const byTurn: number[][] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  let started = 0;
  let windowTurns = 0;
  const t0 = performance.now();
  const deadline = t0 + options.durationMs;
  let windowEnd = Number.POSITIVE_INFINITY;

  const fail = (message: string) => {
    errors++;
    if (firstErrors.length < 5) firstErrors.push(message);
  };

  const person = async () => {
    while (started < options.maxConversations && performance.now() < deadline) {
      const script = options.script(started++);
      const conversationId = `bench-${randomUUID()}`;
      const userId = `bench-user-${randomUUID()}`;
      for (let turn = 0; turn < script.length; turn++) {
        const body = expectRepliesActivity(conversationId, userId, script[turn]!, channelId);
        const sent = performance.now();
        let activities: ReplyActivity[] = [];
        try {
          const response = await client.post<{ activities?: ReplyActivity[] }>(
            endpoint,
            body,
            {},
            options.timeoutMs,
          );
          const done = performance.now();
          latencies.push(done - sent);
          (byTurn[turn] ??= []).push(done - sent);
          if (done <= Math.min(deadline, windowEnd)) windowTurns++;
          if (response.status !== 200) {
            fail(`HTTP ${response.status} at turn ${turn + 1} ("${script[turn]}")`);
            break;
          }
          activities = response.body?.activities ?? [];
        } catch (err) {
          fail(`${(err as Error).message} at turn ${turn + 1}`);
          break;
        }
        const problem = check(activities, turn, script);
        if (problem) {
          fail(`turn ${turn + 1} ("${script[turn]}"): ${problem}`);
          break;
        }
      }
    }
    windowEnd = Math.min(windowEnd, performance.now());
  };

  await Promise.all(Array.from({ length: concurrency }, person));
  const windowMs = Math.min(deadline, windowEnd) - t0;
  return {
    concurrency,
    conversations: started,
    latency: summarize(latencies),
    latencyByTurn: byTurn.map(summarize),
    turnsPerSecond: (windowTurns / windowMs) * 1000,
    windowMs,
    turns: latencies.length,
    errors,
    firstErrors,
  };
}

/** Everything a person would read in the replies: texts and the texts inside cards. */
export function readable(activities: ReplyActivity[]): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if ((key === 'text' || key === 'title' || key === 'label') && typeof value === 'string')
          texts.push(value);
        else if (key !== 'data' && typeof value === 'object') walk(value);
      }
    }
  };
  for (const activity of activities) {
    if (activity.text) texts.push(activity.text);
    walk(activity.attachments?.map((a) => a.content));
  }
  return texts.join('\n');
}
