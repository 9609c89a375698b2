import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { assertLoopback, type HttpClient } from './http.js';
import type { ReplyActivity } from './load.js';
import { summarize, type LatencySummary } from './stats.js';

export type DirectLineOutcome =
  | {
      status: 'ok';
      conversations: number;
      /** POST of a user activity → the bot's first reply to it visible on the WebSocket, ms. */
      roundTrip: LatencySummary;
      /** POST of a user activity → the POST's own response (the bot has taken the turn), ms. */
      postResponse: LatencySummary;
      /** Token, conversation start and WebSocket open, ms each. */
      connect: LatencySummary;
      errors: number;
      firstErrors: string[];
    }
  | { status: 'skipped'; reason: string };

interface TokenResponse {
  token?: string;
  domain?: string;
  userId?: string;
}

interface StartResponse {
  conversationId?: string;
  token?: string;
  streamUrl?: string;
}

interface StreamedActivity extends ReplyActivity {
  id?: string;
  from?: { id?: string; role?: string };
}

/** The replies a WebSocket client has seen, by the id of the activity they answer. */
class Stream {
  private readonly waiting = new Map<string, (at: number) => void>();
  private readonly seen = new Map<string, number>();
  closed: string | undefined;

  constructor(
    readonly socket: WebSocket,
    private readonly userId: string,
  ) {
    socket.on('message', (data) => {
      const at = performance.now();
      const text = data.toString();
      if (!text.trim()) return;
      let set: { activities?: StreamedActivity[] };
      try {
        set = JSON.parse(text) as { activities?: StreamedActivity[] };
      } catch {
        return;
      }
      for (const activity of set.activities ?? []) {
        if (activity.from?.id === this.userId || !activity.replyToId) continue;
        if (this.seen.has(activity.replyToId)) continue;
        this.seen.set(activity.replyToId, at);
        this.waiting.get(activity.replyToId)?.(at);
      }
    });
    socket.on('close', (code) => {
      this.closed = `WebSocket closed (${code})`;
      for (const resolve of this.waiting.values()) resolve(Number.NaN);
    });
  }

  /** When the first reply to `activityId` reached the client (performance.now()), NaN on close or timeout. */
  replyTo(activityId: string, timeoutMs: number): Promise<number> {
    const seen = this.seen.get(activityId);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.closed) return Promise.resolve(Number.NaN);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(Number.NaN), timeoutMs);
      this.waiting.set(activityId, (at) => {
        clearTimeout(timer);
        this.waiting.delete(activityId);
        resolve(at);
      });
    });
  }
}

function openSocket(url: string, timeoutMs: number): Promise<WebSocket> {
  assertLoopback(url);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`WebSocket refused: HTTP ${res.statusCode ?? '?'}`)),
    );
  });
}

/**
 * Quick self-checks through the local Direct Line, one conversation after the other, as Web Chat talks to it:
 * `POST /api/directline/token`, `POST {domain}/conversations`, the WebSocket `streamUrl`, then each message
 * `POST {domain}/conversations/:id/activities` and its reply awaited on the socket. Skipped (with the reason) when
 * the server has no local Direct Line. Stays inside the Direct Line's own rate limits (per address and per token).
 */
export async function runDirectLine(options: {
  url: string;
  client: HttpClient;
  /** What the n-th conversation types, message by message. */
  script: (n: number) => readonly string[];
  conversations: number;
  durationMs: number;
  timeoutMs?: number;
}): Promise<DirectLineOutcome> {
  const { client, script } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const roundTrips: number[] = [];
  const posts: number[] = [];
  const connects: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  let done = 0;
  const fail = (message: string) => {
    errors++;
    if (firstErrors.length < 5) firstErrors.push(message);
  };
  const deadline = performance.now() + options.durationMs;

  for (let n = 0; n < options.conversations && performance.now() < deadline; n++) {
    const connectStart = performance.now();
    const tokenResponse = await client.post<TokenResponse>(`${options.url}/api/directline/token`, {});
    if (
      n === 0 &&
      (tokenResponse.status === 404 || tokenResponse.status === 405 || tokenResponse.status === 503)
    ) {
      return { status: 'skipped', reason: `POST /api/directline/token answered ${tokenResponse.status}` };
    }
    const { token, domain, userId } = tokenResponse.body ?? {};
    if (tokenResponse.status !== 200 || !token || !domain || !userId) {
      fail(`token: HTTP ${tokenResponse.status}`);
      if (tokenResponse.status === 429) await sleep(2000);
      continue;
    }
    assertLoopback(domain);
    const auth = { authorization: `Bearer ${token}` };
    const started = await client.post<StartResponse>(`${domain}/conversations`, {}, auth);
    const { conversationId, streamUrl } = started.body ?? {};
    if (started.status >= 300 || !conversationId || !streamUrl) {
      fail(`start: HTTP ${started.status}`);
      continue;
    }
    let socket: WebSocket;
    try {
      socket = await openSocket(streamUrl, timeoutMs);
    } catch (err) {
      fail(`stream: ${(err as Error).message}`);
      continue;
    }
    connects.push(performance.now() - connectStart);
    const stream = new Stream(socket, userId);
    const conversationAuth = { authorization: `Bearer ${started.body.token ?? token}` };
    let complete = true;
    try {
      for (const text of script(n)) {
        const sent = performance.now();
        const posted = await client.post<{ id?: string }>(
          `${domain}/conversations/${encodeURIComponent(conversationId)}/activities`,
          { type: 'message', from: { id: userId, name: 'Bench' }, text, locale: 'fr-FR' },
          conversationAuth,
          timeoutMs,
        );
        const postedAt = performance.now();
        if (posted.status !== 200 || !posted.body?.id) {
          fail(`post "${text}": HTTP ${posted.status}`);
          complete = false;
          break;
        }
        posts.push(postedAt - sent);
        const replyAt = await stream.replyTo(posted.body.id, timeoutMs);
        if (Number.isNaN(replyAt)) {
          fail(`no reply to "${text}" on the WebSocket${stream.closed ? `: ${stream.closed}` : ''}`);
          complete = false;
          break;
        }
        roundTrips.push(replyAt - sent);
      }
      if (complete) done++;
    } finally {
      socket.close();
    }
  }
  return {
    status: 'ok',
    conversations: done,
    roundTrip: summarize(roundTrips),
    postResponse: summarize(posts),
    connect: summarize(connects),
    errors,
    firstErrors,
  };
}
