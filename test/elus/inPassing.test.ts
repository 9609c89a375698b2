import { describe, expect, it } from 'vitest';
import { elusExtension } from '../../dialogs/elusExtension.js';
import { buttonData, createTestBot } from '../helpers/testBot.js';
import { assistant } from './helpers.js';

const me = 'test:user1';
const newBot = () => createTestBot({ extensions: (deps) => [elusExtension(deps, assistant)] });
const sdaasp = "schéma départemental d'amélioration de l'accessibilité des services au public";

describe('Scénario : une question posée pendant le parcours guidé reçoit sa réponse, et l’étape reste', () => {
  it('« c’est quoi le SDAASP ? » à l’étape 1 : la définition, puis la même étape ; rien n’est enregistré', async () => {
    const bot = newBot();
    await bot.say('convaincre mon élu');
    const reply = await bot.say("c'est quoi le SDAASP ?");
    expect(reply.text).toContain(sdaasp);
    expect(reply.text).toContain('étape 1 sur 4');
    expect(reply.text).toContain('Où en êtes-vous avec vos élus ?');
    const next = await bot.submit(buttonData(reply.activities, 'Élus pas investis'));
    expect(next.text).toContain('étape 2 sur 4');
    expect(next.text).toContain('Quel est le principal frein');
  });

  it('un message qui décrit clairement une autre étape la remplit ; la question en cours reste posée', async () => {
    const bot = newBot();
    await bot.say('convaincre mon élu');
    const reply = await bot.say('on est en zone rurale');
    expect(reply.text).toContain('C’est noté : « Territoire rural / ZRR »');
    expect(reply.text).toContain('Où en êtes-vous avec vos élus ?');
    expect(reply.text).toContain('étape 1 sur 3');
  });

  it('à l’étape du frein, « mon maire dit que c’est pas une priorité » est le manque de temps', async () => {
    const bot = newBot();
    await bot.say('convaincre mon élu');
    await bot.say('pas investis');
    const reply = await bot.say("mon maire dit que c'est pas une priorité");
    expect(reply.text).toContain('Quel angle correspond le mieux à votre territoire ?');
    await bot.say('passer');
    const card = await bot.say('passer');
    expect(card.text).toContain('Frein : Manque de temps');
  });

  it('quand le message est ambigu, rien n’est enregistré : l’assistant propose les sujets proches et repose l’étape', async () => {
    const bot = newBot();
    await bot.say('convaincre mon élu');
    const reply = await bot.say(
      "ils sont d'accord sur le principe mais personne ne vient aux comités de pilotage, comment je les remobilise ?",
    );
    expect(reply.text).not.toContain('C’est noté');
    expect(reply.text).toContain('Où en êtes-vous avec vos élus ?');
    expect(reply.text).toContain('étape 1 sur 4');
  });
});

describe('Scénario : une question sur les élus au milieu d’un diagnostic', () => {
  it('« mon maire dit que c’est pas une priorité » à la question 1 : le conseil, puis la même question, sans réponse enregistrée', async () => {
    const bot = newBot();
    const first = await bot.say('diagnostic rapide');
    expect(first.text).toContain('Question 1 / 13');
    const reply = await bot.say("mon maire dit que c'est pas une priorité");
    expect(reply.text).toContain("Les élus n'ont pas le temps");
    expect(reply.text).toContain('Question 1 / 13');
    const diagnostic = await bot.service.activeDiagnostic(me);
    expect(Object.keys(diagnostic!.answers)).toHaveLength(0);
    const answered = await bot.submit(buttonData(reply.activities, 'Oui'));
    expect(answered.text).toContain('Question 2 / 13');
  });

  it('« Construire mon argumentaire » touché sous cette réponse ouvre le parcours ; « reprendre » revient à la question', async () => {
    const bot = newBot();
    await bot.say('diagnostic rapide');
    await bot.submit(buttonData((await bot.say('oui')).activities, 'Non'));
    const reply = await bot.say("c'est quoi le SDAASP ?");
    expect(reply.text).toContain(sdaasp);
    expect(reply.text).toContain('Question 3 / 13');
    const guided = await bot.submit(buttonData(reply.activities, 'Construire mon argumentaire'));
    expect(guided.text).toContain('Convaincre mon élu');
    const resumed = await bot.say('reprendre');
    expect(resumed.text).toContain('Question 3 / 13');
  });

  it('deux sujets dans un message : la réponse au premier, et « voir aussi » pour l’autre, qui garde la question', async () => {
    const bot = newBot();
    await bot.say('diagnostic rapide');
    const reply = await bot.say(
      "le maire n'a pas le temps de s'en occuper et en plus il n'y a pas de budget",
    );
    const titles = ["Les élus n'ont pas le temps", 'Budget et financement'];
    const main = titles.find((t) => !JSON.stringify(reply.activities).includes(`Voir aussi : ${t}`))!;
    const other = titles.find((t) => t !== main)!;
    expect(reply.text).toContain(main);
    expect(reply.text).toContain('Question 1 / 13');
    const next = await bot.submit(buttonData(reply.activities, `Voir aussi : ${other}`));
    expect(next.text).toContain(other);
    expect(next.text).toContain('Question 1 / 13');
  });

  it('un texte qui n’est ni une réponse ni une question sur les élus garde le message habituel', async () => {
    const bot = newBot();
    await bot.say('diagnostic rapide');
    const reply = await bot.say('blablabla');
    expect(reply.text).not.toContain('Convaincre');
    expect(reply.text).toContain('Question 1 / 13');
  });
});

describe('Règle : une question du domaine que les sources ne traitent pas reçoit un aveu clair', () => {
  it('« quelle est l’indemnité d’un maire ? » : ni fausse réponse, ni « pas compris »', async () => {
    const bot = newBot();
    const reply = await bot.say('quelle est l’indemnité d’un maire ?');
    expect(reply.text).toContain('Je ne trouve rien sur cette question dans les documents');
    expect(reply.activities.flatMap((a) => a.attachments ?? [])).toHaveLength(0);
  });

  it('hors du domaine, le message habituel', async () => {
    const reply = await newBot().say('quel temps fera-t-il demain ?');
    expect(reply.text).toContain("Je n'ai pas bien compris");
  });
});
