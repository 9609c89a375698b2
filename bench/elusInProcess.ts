import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { DialogDeps } from '../dialogs/deps.js';
import type { RouterExtension } from '../dialogs/routerDialog.js';
import { referentialDir } from '../src/paths.js';
import { createTestBot } from '../test/helpers/testBot.js';
import { elusQuestions } from './elus.js';
import { summarize, type LatencySummary } from './stats.js';

export type ElusInProcessOutcome =
  | {
      status: 'ok';
      /** Loading the élus referential and building its index/classifier, ms (paid at the server's start-up). */
      loadMs: number;
      /** The first free question, ms. */
      firstMs: number;
      /** Each later free question in a fresh conversation: the real router, dialogs and élus extension, ms. */
      turn: LatencySummary;
      samples: number;
      errors: number;
    }
  | { status: 'skipped'; reason: string };

type CreateElusExtension = (deps: DialogDeps, referentialDir: string) => RouterExtension;

/** The élus extension's module, looked up at run time: the benchmark keeps working while it is absent or renamed. */
const extensionModule = new URL('../dialogs/elusExtension.js', import.meta.url).href;

/**
 * The bot-side time of a free élus question, in this process, with the dialog test harness (test/helpers/testBot):
 * the real AssistantBot, RouterDialog and élus extension on botbuilder's TestAdapter and a MemoryStorage — no HTTP,
 * no disk, no other load. Skipped when the extension is not there.
 */
export async function runElusInProcess(options: {
  samples: number;
  durationMs: number;
}): Promise<ElusInProcessOutcome> {
  let createElusExtension: CreateElusExtension | undefined;
  try {
    const loaded = (await import(extensionModule)) as { createElusExtension?: CreateElusExtension };
    createElusExtension = loaded.createElusExtension;
  } catch (err) {
    return {
      status: 'skipped',
      reason: `dialogs/elusExtension not loadable: ${(err as Error).message.split('\n')[0]}`,
    };
  }
  if (typeof createElusExtension !== 'function') {
    return { status: 'skipped', reason: 'dialogs/elusExtension exports no createElusExtension' };
  }
  const make = createElusExtension;
  const loadStarted = performance.now();
  const bot = createTestBot({ extensions: (deps) => [make(deps, referentialDir)] });
  const loadMs = performance.now() - loadStarted;

  const ask = async (text: string) => {
    const conversation = { id: `bench-elus-${randomUUID()}` } as Activity['conversation'];
    const started = performance.now();
    const reply = await bot.say(text, { conversation });
    return { ms: performance.now() - started, text: reply.text };
  };
  const understood = (text: string) =>
    text.length > 0 && !/Je n'ai pas bien compris|un problème technique/.test(text);

  const first = await ask(elusQuestions[0]!);
  if (!understood(first.text))
    return { status: 'skipped', reason: 'the élus extension does not answer the free question' };
  const times: number[] = [];
  let errors = 0;
  const deadline = performance.now() + options.durationMs;
  for (let i = 0; i < options.samples && performance.now() < deadline; i++) {
    const answer = await ask(elusQuestions[i % elusQuestions.length]!);
    if (!understood(answer.text)) errors++;
    times.push(answer.ms);
  }
  return { status: 'ok', loadMs, firstMs: first.ms, turn: summarize(times), samples: times.length, errors };
}
