import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ElusAssistant } from '../../src/domain/elus/assistant.js';
import { referentialDir } from '../../src/paths.js';
import { BotClient } from '../helpers/botClient.js';
import { startServer } from '../helpers/server.js';
import { loopTurnsDuring } from '../helpers/eventLoop.js';

const dir = mkdtempSync(join(tmpdir(), 'elus-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Règle : le serveur charge referential/elus.json au démarrage', () => {
  it('une mauvaise modification d’elus.json arrête le serveur en nommant le fichier, le chemin JSON et le problème', async () => {
    cpSync(referentialDir, dir, { recursive: true });
    const elus = JSON.parse(readFileSync(join(dir, 'elus.json'), 'utf8'));
    elus.situations[1].advice[2].title = '';
    writeFileSync(join(dir, 'elus.json'), JSON.stringify(elus));
    const error = await startServer({ env: { REFERENTIAL_DIR: dir } }).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(error).toContain('exited with 3');
    expect(error).toContain(join(dir, 'elus.json'));
    expect(error).toContain('situations[1].advice[2].title');
  });

  it('une clé mal écrite dans elus-lexicon.json arrête le serveur en nommant le fichier, la clé et la correction', async () => {
    const lexiconDir = mkdtempSync(join(tmpdir(), 'elus-lexicon-'));
    try {
      cpSync(referentialDir, lexiconDir, { recursive: true });
      const lexicon = JSON.parse(readFileSync(join(lexiconDir, 'elus-lexicon.json'), 'utf8'));
      lexicon.words.sms['Élus'] = 'elus';
      writeFileSync(join(lexiconDir, 'elus-lexicon.json'), JSON.stringify(lexicon));
      const error = await startServer({ env: { REFERENTIAL_DIR: lexiconDir } }).then(
        () => undefined,
        (err: Error) => err.message,
      );
      expect(error).toContain('exited with 3');
      expect(error).toContain(join(lexiconDir, 'elus-lexicon.json'));
      expect(error).toContain('words.sms.Élus');
      expect(error).toContain('sans accents');
      expect(error).toContain('« elus »');
    } finally {
      rmSync(lexiconDir, { recursive: true, force: true });
    }
  });

  it('les entrées du lexique changent la lecture des questions : une abréviation ajoutée est comprise', () => {
    const lexiconDir = mkdtempSync(join(tmpdir(), 'elus-lexicon-'));
    try {
      cpSync(referentialDir, lexiconDir, { recursive: true });
      const question = 'le zorglub ne veut pas financer';
      const before = ElusAssistant.load(lexiconDir).index.analyzer.rewrite(question);
      const lexicon = JSON.parse(readFileSync(join(lexiconDir, 'elus-lexicon.json'), 'utf8'));
      lexicon.words.acteurs.zorglub = 'maire';
      writeFileSync(join(lexiconDir, 'elus-lexicon.json'), JSON.stringify(lexicon));
      const after = ElusAssistant.load(lexiconDir).index.analyzer.rewrite(question);
      expect(before).toContain('zorglub');
      expect(after).toBe('le maire ne veut pas financer');
    } finally {
      rmSync(lexiconDir, { recursive: true, force: true });
    }
  });

  it('« convaincre mon élu » et une question libre répondent par le vrai serveur', async () => {
    const server = await startServer();
    try {
      const client = new BotClient(server.url);
      const path = await client.say('convaincre mon élu');
      expect(path.text).toContain('Où en êtes-vous avec vos élus ?');
      const question = await client.say("c'est quoi le SDAASP ?");
      expect(question.text).toContain(
        "schéma départemental d'amélioration de l'accessibilité des services au public",
      );
    } finally {
      await server.stop();
    }
  });
});

describe('Règle : l’index des questions libres se construit sans bloquer le serveur', () => {
  it('warm() entraîne époque par époque en rendant la main, et donne le même modèle que l’entraînement d’un bloc', async () => {
    const inBackground = ElusAssistant.load(referentialDir);
    const { turns } = await loopTurnsDuring(() => inBackground.warm());
    expect(turns).toBeGreaterThanOrEqual(15); // one turn of the event loop per slice of examples at least

    const atOnce = ElusAssistant.load(referentialDir);
    for (const question of [
      'mon maire dit que ce n’est pas une priorité',
      'qui finance les conseillers numériques ?',
    ]) {
      expect(inBackground.ask(question)).toEqual(atOnce.ask(question));
    }
  });

  it('une question posée pendant l’entraînement reçoit sa réponse (l’entraînement se termine alors d’un coup)', async () => {
    const assistant = ElusAssistant.load(referentialDir);
    const warming = assistant.warm();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const early = assistant.ask("c'est quoi le SDAASP ?");
    await warming;
    expect(early).toEqual(ElusAssistant.load(referentialDir).ask("c'est quoi le SDAASP ?"));
  });
});
