import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueJoinCode, joinCollectivite } from '../../src/domain/collectivite/joinCode.js';
import { DiagnosticService } from '../../src/domain/diagnostics/service.js';
import type { Diagnostic } from '../../src/domain/records/diagnostic.js';
import { loadReferentials } from '../../src/domain/referential/load.js';
import { answerValues, type AnswerValue } from '../../src/domain/scoring/answers.js';
import { indicatorsInScope } from '../../src/domain/scoring/scope.js';
import { referentialDir } from '../../src/paths.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { StorageRecordStore } from '../../src/storage/storageRecordStore.js';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { buttonData } from '../helpers/testBot.js';
import { useTempDirs } from '../storage/tempDir.js';
import { openRecords, testRespondentId } from './records.js';

const newDir = useTempDirs('concurrency');
const { maturity } = loadReferentials(referentialDir);
const allIndicators = indicatorsInScope(maturity, { kind: 'full' }).map((ref) => ref.indicateur.number);

/** Each person's own answer to every indicator, different from the others' wherever possible. */
const answerOf = (person: number, indicator: number): AnswerValue =>
  answerValues[(person + indicator) % answerValues.length]!;

async function sharedDiagnostic(
  people: string[],
): Promise<{ service: DiagnosticService; diagnostic: Diagnostic }> {
  const service = new DiagnosticService(new StorageRecordStore(new LowdbStorage(await newDir())));
  const collectivite = await service.createCollectivite(people[0]!, {
    name: 'Communauté de communes du Test',
    type: 'intercommunalite',
    traits: [],
  });
  const code = await issueJoinCode(service.store, collectivite.id);
  for (const person of people.slice(1)) await joinCollectivite(service.store, code, person);
  const diagnostic = await service.startDiagnostic(people[0]!, { kind: 'full' }, collectivite.id);
  return { service, diagnostic };
}

function expectEveryAnswerKept(diagnostic: Diagnostic, people: string[]): void {
  expect(Object.keys(diagnostic.answers)).toHaveLength(allIndicators.length);
  expect([...diagnostic.respondents].sort()).toEqual([...people].sort());
  people.forEach((person, p) => {
    const own = diagnostic.byRespondent[person]!;
    expect(Object.keys(own)).toHaveLength(allIndicators.length);
    for (const n of allIndicators) expect(own[n], `${person}, indicateur ${n}`).toBe(answerOf(p, n));
  });
  for (const n of allIndicators) {
    const { by, value } = diagnostic.answers[n]!;
    expect(people).toContain(by);
    expect(value, `indicateur ${n}: the shared answer is the latest of whoever gave it`).toBe(
      diagnostic.byRespondent[by!]![n],
    );
  }
}

describe('Règle : deux personnes qui répondent en même temps pour le même diagnostic ne perdent rien', () => {
  it('deux suites de 68 réponses entrelacées, sur LowdbStorage', async () => {
    const people = ['msteams:t1:alice', 'msteams:t1:bob'];
    const { service, diagnostic } = await sharedDiagnostic(people);
    await Promise.all(
      people.map(async (person, p) => {
        for (const n of allIndicators) await service.answer(diagnostic.id, person, n, answerOf(p, n));
      }),
    );
    expectEveryAnswerKept((await service.diagnostic(diagnostic.id))!, people);
  });

  it('la même question au même instant, 68 fois de suite, à deux puis à quatre', async () => {
    for (const people of [
      ['web:alice', 'web:bob'],
      ['web:alice', 'web:bob', 'web:carol', 'web:dave'],
    ]) {
      const { service, diagnostic } = await sharedDiagnostic(people);
      for (const n of allIndicators) {
        await Promise.all(
          people.map((person, p) => service.answer(diagnostic.id, person, n, answerOf(p, n))),
        );
      }
      expectEveryAnswerKept((await service.diagnostic(diagnostic.id))!, people);
    }
  });
});

describe('Règle : la même carte envoyée deux fois au même instant n’est enregistrée qu’une fois', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('double envoi simultané dans une conversation, par le vrai serveur : une réponse, une question suivante', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const person = new BotClient(server.url);
      const first = await person.say('diagnostic rapide');
      const yes = buttonData(first.activities, 'Oui');
      const replies = await Promise.all([person.submit(yes), person.submit(yes)]);

      expect(replies.map((r) => r.status)).toEqual([200, 200]);
      const recorded = replies.filter((r) => !r.text.includes('ancienne carte'));
      expect(recorded, 'exactly one of the two submits is taken as the answer').toHaveLength(1);
      for (const reply of replies) expect(reply.text).toContain('Question 2 / 13');

      const next = await person.say('non');
      expect(next.text, 'no question skipped').toContain('Question 3 / 13');
      const diagnostic = await openRecords(server.dataDir).service.activeDiagnostic(
        testRespondentId(person.userId),
      );
      expect(Object.keys(diagnostic!.answers)).toHaveLength(2);
      expect(Object.values(diagnostic!.answers).map((a) => a.value)).toEqual(['oui', 'non']);
    }
  });
});
