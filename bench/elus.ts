import { randomUUID } from 'node:crypto';
import type { HttpClient } from './http.js';
import { expectRepliesActivity, readable, type ReplyActivity } from './load.js';
import { median, summarize, type LatencySummary } from './stats.js';

/** Free questions as agents type them; the first one is the one the brief names. */
export const elusQuestions: readonly string[] = [
  "mon maire dit que ce n'est pas une priorité",
  'les élus pensent que ça coûte trop cher',
  "mon président d'interco dit que c'est le travail de l'État",
  "comment convaincre un élu qui n'a pas le temps ?",
];

export type ElusOutcome =
  | {
      status: 'ok';
      /** The first free question after start (indexes built lazily show here), round trip in ms. */
      firstMs: number;
      /** Round trips of the free questions (fresh conversation each), ms. */
      roundTrip: LatencySummary;
      /** Round trips of the baseline echo, sent alternately with them by the same client, ms. */
      echo: LatencySummary;
      /** Bot-side time of a free question: median round trip minus the median baseline echo round trip, ms. */
      botMs: number;
      samples: number;
      errors: number;
    }
  | { status: 'skipped'; reason: string };

/** Replies that say the free-question feature is not (yet) there. */
const notThere: { pattern: RegExp; why: string }[] = [
  {
    pattern: /Je n'ai pas bien compris/,
    why: 'the router answers "Je n\'ai pas bien compris" (no élus extension)',
  },
  { pattern: /Cette fonction arrive bientôt/, why: 'the router answers "Cette fonction arrive bientôt"' },
  { pattern: /un problème technique/, why: 'the turn failed (apology)' },
];

async function ask(
  client: HttpClient,
  url: string,
  text: string,
): Promise<{ ms: number; activities: ReplyActivity[] }> {
  const body = expectRepliesActivity(
    `bench-elus-${randomUUID()}`,
    `bench-user-${randomUUID()}`,
    text,
    'bench',
  );
  const sent = performance.now();
  const response = await client.post<{ activities?: ReplyActivity[] }>(`${url}/api/messages`, body);
  const ms = performance.now() - sent;
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  return { ms, activities: response.body?.activities ?? [] };
}

/**
 * The élus free question's bot time over HTTP: each free question (a fresh conversation, one expectReplies
 * request) is paired with one baseline echo round trip by the same keep-alive client, and the bot time is the
 * difference of their medians — what the assistant adds over the bare stack's own HTTP and adapter cost.
 */
export async function runElus(options: {
  assistantUrl: string;
  baselineUrl: string;
  client: HttpClient;
  samples: number;
  durationMs: number;
}): Promise<ElusOutcome> {
  const { client } = options;
  const first = await ask(client, options.assistantUrl, elusQuestions[0]!);
  const firstText = readable(first.activities);
  if (first.activities.length === 0) return { status: 'skipped', reason: 'no reply to a free question' };
  const missing = notThere.find((n) => n.pattern.test(firstText));
  if (missing) return { status: 'skipped', reason: missing.why };

  const questions: number[] = [];
  const echoes: number[] = [];
  let errors = 0;
  const deadline = performance.now() + options.durationMs;
  for (let i = 0; i < options.samples && performance.now() < deadline; i++) {
    try {
      echoes.push((await ask(client, options.baselineUrl, 'bonjour')).ms);
      const answer = await ask(client, options.assistantUrl, elusQuestions[i % elusQuestions.length]!);
      if (answer.activities.length === 0 || notThere.some((n) => n.pattern.test(readable(answer.activities))))
        errors++;
      questions.push(answer.ms);
    } catch {
      errors++;
    }
  }
  return {
    status: 'ok',
    firstMs: first.ms,
    roundTrip: summarize(questions),
    echo: summarize(echoes),
    botMs: Math.max(0, median(questions) - median(echoes)),
    samples: questions.length,
    errors,
  };
}
