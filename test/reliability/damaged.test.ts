import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordKeys } from '../../src/domain/records/diagnostic.js';
import { BotClient } from '../helpers/botClient.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { currentVersion, logLines, openRecords, testRespondentId } from './records.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

const damagedMessage = /données enregistrées est endommagée/;

async function startedQuickCheck(answers: number): Promise<BotClient> {
  const person = new BotClient(server.url);
  await person.say('diagnostic rapide');
  for (let n = 0; n < answers; n++) await person.say('oui');
  return person;
}

function expectNoTechnicalTrace(text: string): void {
  expect(text).not.toMatch(/Error|stack|undefined|\.js:\d+|lowdb|JSON|at [A-Za-z.<>]+ \(/);
}

async function expectServerAlive(): Promise<void> {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
}

/** The operator log line about a damaged file, naming it (through a pipe: it may arrive after the reply). */
async function expectDamageLogged(file: string): Promise<void> {
  await expect
    .poll(() => logLines(server.output()).find((line) => line.file === file && line.level === 50))
    .toBeDefined();
}

describe('Règle : un fichier de données abîmé ne pénalise que son propriétaire', () => {
  it('la fiche d’une personne tronquée : message en français pour elle, nom du fichier au journal, les autres continuent', async () => {
    const alice = await startedQuickCheck(3);
    const bob = await startedQuickCheck(3);
    const { storage } = openRecords(server.dataDir);
    const file = storage.fileFor(recordKeys.respondent(testRespondentId(alice.userId)));
    const { size } = await stat(file);
    await truncate(file, Math.floor(size / 2));

    const reply = await alice.say('reprendre');
    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(damagedMessage);
    expectNoTechnicalTrace(reply.text);
    await expectDamageLogged(file);

    const bobGoesOn = await bob.say('oui');
    expect(bobGoesOn.text).toContain('Question 5 / 13');
    const newcomer = await new BotClient(server.url).say('diagnostic rapide');
    expect(newcomer.text).toContain('Question 1 / 13');
    await expectServerAlive();
  });

  it('un diagnostic modifié à la main (JSON invalide, puis forme inattendue) : la personne est prévenue, rien ne plante', async () => {
    const carol = await startedQuickCheck(4);
    const dave = await startedQuickCheck(2);
    const { service, storage } = openRecords(server.dataDir);
    const diagnostic = await service.activeDiagnostic(testRespondentId(carol.userId));
    const file = storage.fileFor(recordKeys.diagnostic(diagnostic!.id));
    // a person opens the file and edits the current version (the last line), then saves it as one document
    const original = currentVersion(await readFile(file, 'utf8'));

    const broken = original.replace(/"answers":\s*\{/, '"answers": {,,');
    expect(broken).not.toBe(original);
    await writeFile(file, broken);
    const invalidJson = await carol.say('oui');
    expect(invalidJson.status).toBe(200);
    expect(invalidJson.text).toMatch(damagedMessage);
    expectNoTechnicalTrace(invalidJson.text);
    await expectDamageLogged(file);

    await writeFile(file, JSON.stringify({ bonjour: 'à la main' }));
    const wrongShape = await carol.say('reprendre');
    expect(wrongShape.text).toMatch(damagedMessage);
    expectNoTechnicalTrace(wrongShape.text);

    const envelope = JSON.parse(original) as { item: { record: Record<string, unknown> } };
    delete envelope.item.record.answers;
    await writeFile(file, JSON.stringify(envelope));
    const recordWithoutAnswers = await carol.say('reprendre');
    expect(recordWithoutAnswers.status).toBe(200);
    expect(recordWithoutAnswers.text).toMatch(/Désolé/);
    expectNoTechnicalTrace(recordWithoutAnswers.text);

    expect((await dave.say('non')).text).toContain('Question 4 / 13');
    await expectServerAlive();

    await writeFile(file, original);
    const repaired = await carol.say('reprendre');
    expect(repaired.text).toContain('Question 5 / 13');
  });

  it('un diagnostic en JSON valide mais de la mauvaise forme : le message « données endommagées », le fichier au journal, rien d’effacé', async () => {
    const frank = await startedQuickCheck(2);
    const { service, storage } = openRecords(server.dataDir);
    const diagnostic = await service.activeDiagnostic(testRespondentId(frank.userId));
    const file = storage.fileFor(recordKeys.diagnostic(diagnostic!.id));
    const envelope = JSON.parse(await readFile(file, 'utf8')) as {
      item: { record: Record<string, unknown> };
    };
    delete envelope.item.record.answers;
    const edited = JSON.stringify(envelope);
    await writeFile(file, edited);

    const reply = await frank.say('oui');

    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(damagedMessage);
    expectNoTechnicalTrace(reply.text);
    await expectDamageLogged(file);
    expect(await readFile(file, 'utf8')).toBe(edited);
    await expectServerAlive();
  });

  it('l’état de conversation tronqué : un message, puis la conversation repart et « reprendre » retrouve les réponses', async () => {
    const erin = await startedQuickCheck(5);
    const { storage } = openRecords(server.dataDir);
    // the dialog position is kept per person in the conversation (botbuilder's PrivateConversationState)
    const file = storage.fileFor(`test/conversations/${erin.conversationId}/users/${erin.userId}/`);
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, 40));

    const first = await erin.say('oui');
    expect(first.text).toMatch(damagedMessage);
    await expectDamageLogged(file);
    const resumed = await erin.say('reprendre');
    expect(resumed.text).toContain('Question 6 / 13');
    await expectServerAlive();
  });
});
