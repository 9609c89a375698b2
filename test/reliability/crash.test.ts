import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { loadReferentials } from '../../src/domain/referential/load.js';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';
import { indicatorsInScope } from '../../src/domain/scoring/scope.js';
import { referentialDir } from '../../src/paths.js';
import { BotClient, typedAnswers } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { openRecords, testRespondentId, unreadableJsonFiles } from './records.js';

const quickIndicators = indicatorsInScope(loadReferentials(referentialDir).maturity, { kind: 'quick' }).map(
  (ref) => ref.indicateur.number,
);
const typed = typedAnswers;
const values = Object.keys(typed) as AnswerValue[];

/** Reproducible randomness: CRASH_SEED=<n> replays a run. */
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
let state = seed;
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randomInt = (max: number) => Math.floor(random() * max);

/** What one person has been told is stored: the reply to each of these answers reached them. */
interface Person {
  client: BotClient;
  respondentId: string;
  diagnosticId?: string;
  /** Next question number, as the last reply showed it; 14 once the results were shown. */
  next: number;
  acknowledged: Map<string, Map<number, AnswerValue>>;
  /** The answer sent when the server was killed, reply unknown. */
  inFlight?: { question: number; value: AnswerValue };
}

const dataDirs: string[] = [];
afterAll(async () => {
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const questionIn = (text: string) => Number(/Question (\d+) \/ 13/.exec(text)?.[1] ?? NaN);

async function startQuickCheck(person: Person, dataDir: string): Promise<void> {
  const reply = await person.client.say('diagnostic rapide');
  expect(reply.text).toContain('Question 1 / 13');
  const respondent = await openRecords(dataDir).service.respondent(person.respondentId);
  person.diagnosticId = respondent!.activeDiagnosticId!;
  person.acknowledged.set(person.diagnosticId, new Map());
  person.next = 1;
}

/** Sends the answer to the current question; true when the reply (next question or results) came back. */
async function answer(person: Person, value: AnswerValue, onReply?: () => void): Promise<boolean> {
  const question = person.next;
  person.inFlight = { question, value };
  let text: string;
  try {
    text = (await person.client.say(typed[value])).text;
  } catch {
    return false;
  }
  const acknowledged = question === 13 ? text.includes('Résultats') : questionIn(text) === question + 1;
  if (!acknowledged) return false;
  onReply?.();
  person.acknowledged.get(person.diagnosticId!)!.set(quickIndicators[question - 1]!, value);
  person.next = question + 1;
  delete person.inFlight;
  return true;
}

/** Every acknowledged answer is stored with its value; at most the one answer in flight at a kill is stored besides. */
async function expectNothingLost(people: Person[], dataDir: string): Promise<number> {
  const { service } = openRecords(dataDir);
  let verified = 0;
  for (const person of people) {
    for (const [diagnosticId, acknowledged] of person.acknowledged) {
      const stored = (await service.diagnostic(diagnosticId))!;
      for (const [indicator, value] of acknowledged) {
        expect(
          stored.answers[indicator]?.value,
          `${diagnosticId} indicator ${indicator} (seed ${seed})`,
        ).toBe(value);
        expect(stored.byRespondent[person.respondentId]?.[indicator]).toBe(value);
        verified++;
      }
      const extra = Object.keys(stored.answers).filter((n) => !acknowledged.has(Number(n)));
      const allowed = diagnosticId === person.diagnosticId && person.inFlight ? 1 : 0;
      expect(extra.length, `unacknowledged answers in ${diagnosticId} (seed ${seed})`).toBeLessThanOrEqual(
        allowed,
      );
    }
  }
  return verified;
}

/** After a restart: « reprendre » shows the first unanswered question, the in-flight answer counted if it landed. */
async function resume(person: Person, dataDir: string): Promise<'landed' | 'lost' | undefined> {
  let inFlight: 'landed' | 'lost' | undefined;
  if (person.diagnosticId && person.next <= 13) {
    const stored = (await openRecords(dataDir).service.diagnostic(person.diagnosticId))!;
    const answered = Object.keys(stored.answers).length;
    if (person.inFlight && answered === person.next) {
      // Stored before the kill, reply lost: an answer like any other from now on.
      const { question, value } = person.inFlight;
      person.acknowledged.get(person.diagnosticId)!.set(quickIndicators[question - 1]!, value);
      inFlight = 'landed';
    } else {
      expect(answered, `seed ${seed}`).toBe(person.next - 1);
      if (person.inFlight) inFlight = 'lost';
    }
    person.next = answered + 1;
    // Once it is complete, « reprendre » may rightly offer another unfinished quick check of this person (one whose
    // « diagnostic rapide » was in flight at a kill): a new one is started instead.
    if (answered < 13) {
      const reply = await person.client.say('reprendre');
      expect(reply.text, `reprendre after ${answered} answers (seed ${seed})`).toContain(
        `Question ${answered + 1} / 13`,
      );
    }
  }
  delete person.inFlight;
  if (!person.diagnosticId || person.next > 13) await startQuickCheck(person, dataDir);
  return inFlight;
}

describe('Règle : une réponse confirmée n’est jamais perdue, même sous kill -9', () => {
  it(
    '30 kill -9 à des moments au hasard (dont en pleine requête), redémarrage sur le même DATA_DIR',
    { timeout: 180_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'assistant-crash-'));
      dataDirs.push(dataDir);
      const people: Person[] = Array.from({ length: 3 }, () => {
        const client = new BotClient('');
        return { client, respondentId: testRespondentId(client.userId), next: 1, acknowledged: new Map() };
      });
      const kills = 30;
      let midRequest = 0;
      let landedInFlight = 0;
      let lostInFlight = 0;
      let verified = 0;

      for (let round = 0; round < kills; round++) {
        const server: RunningServer = await startServer({ dataDir });
        const outcomes = await Promise.all(
          people.map((person) => {
            person.client = new BotClient(server.url, person.client.userId, person.client.conversationId);
            return resume(person, dataDir);
          }),
        );
        landedInFlight += outcomes.filter((o) => o === 'landed').length;
        lostInFlight += outcomes.filter((o) => o === 'lost').length;

        await Promise.all(
          people.map(async (person) => {
            for (let n = randomInt(5); n > 0 && person.next <= 13; n--) {
              expect(await answer(person, values[randomInt(4)]!), `seed ${seed}`).toBe(true);
            }
          }),
        );

        if (random() < 0.75) {
          midRequest++;
          const sent = people.map((person) =>
            person.next <= 13
              ? answer(person, values[randomInt(4)]!)
              : person.client.say('diagnostic rapide').catch(() => undefined),
          );
          await sleep(randomInt(31));
          await server.kill9();
          await Promise.allSettled(sent);
        } else {
          await server.kill9();
        }

        expect(await unreadableJsonFiles(dataDir), `seed ${seed}`).toEqual([]);
        verified = await expectNothingLost(people, dataDir);
      }

      const last = await startServer({ dataDir });
      for (const person of people) {
        person.client = new BotClient(last.url, person.client.userId, person.client.conversationId);
        await resume(person, dataDir);
      }
      await last.stop();
      expect(await unreadableJsonFiles(dataDir)).toEqual([]);
      verified = await expectNothingLost(people, dataDir);

      const diagnostics = people.reduce((sum, p) => sum + p.acknowledged.size, 0);
      console.log(
        `crash test (seed ${seed}): ${kills} kill -9 (${midRequest} in mid-request), ${verified} acknowledged answers ` +
          `in ${diagnostics} diagnostics verified after every restart; answers in flight at a kill: ${landedInFlight} ` +
          `stored, ${lostInFlight} not stored (never acknowledged)`,
      );
      expect(verified).toBeGreaterThan(0);
    },
  );
});
