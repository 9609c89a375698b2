import { describe, expect, it } from 'vitest';
import { asksRemaining, parseEdit } from '../../src/domain/language/edits.js';
import { createTestBot } from '../helpers/testBot.js';

describe('Règle : on change une réponse donnée en le disant comme on le dit', () => {
  it.each([
    ['modifier la question 12', { number: 12 }],
    ["je me suis trompé à la 3, c'est non", { number: 3, value: 'non' }],
    ['Je me suis trompée à la question 3 : c’est en partie', { number: 3, value: 'en_partie' }],
    ['changer la réponse à la question deux', { number: 2 }],
    ['revenir à l’indicateur 24', { number: 24 }],
    ['corriger la 5 : oui', { number: 5, value: 'oui' }],
  ])('« %s »', (typed, expected) => {
    expect(parseEdit(typed)).toEqual(expected);
  });

  it.each(['oui', 'modifier ma réponse', 'mon maire dit que ce n’est pas une priorité'])(
    '« %s » n’est pas une modification numérotée',
    (typed) => expect(parseEdit(typed)).toBeUndefined(),
  );

  it.each(['quelles questions restent ?', "qu'est-ce qu'il me reste ?", 'questions sans réponse'])(
    '« %s » demande ce qui reste',
    (typed) => expect(asksRemaining(typed)).toBe(true),
  );
});

describe('Scénario : corriger une réponse en cours de diagnostic', () => {
  it('« je me suis trompé à la 2, c’est non » corrige la question 2 et reste à la question en cours', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    await bot.say('oui');
    const reply = await bot.say("je me suis trompé à la 2, c'est non");
    expect(reply.text).toMatch(/^Noté : Non à la question 2\. Voici la question en cours\./);
    expect(reply.text).toContain('Question 3 / 13');
    const diagnostic = (await bot.service.activeDiagnostic('test:user1'))!;
    expect(Object.values(diagnostic.answers).map((a) => a.value)).toEqual(['oui', 'non']);
  });

  it('« modifier la question 1 » y retourne ; la réponse donnée, on repart à la première question sans réponse', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    for (let n = 0; n < 4; n++) await bot.say('oui');
    const back = await bot.say('modifier la question 1');
    expect(back.text).toContain('Question 1 / 13');
    const after = await bot.say('en partie');
    expect(after.text).toMatch(/^Noté : En partie\./);
    expect(after.text).toContain('Question 5 / 13');
    const diagnostic = (await bot.service.activeDiagnostic('test:user1'))!;
    expect(Object.values(diagnostic.answers).map((a) => a.value)).toEqual(['en_partie', 'oui', 'oui', 'oui']);
  });

  it('« retour » plusieurs fois remonte question par question', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    for (let n = 0; n < 4; n++) await bot.say('oui');
    expect((await bot.say('retour')).text).toContain('Question 4 / 13');
    expect((await bot.say('retour')).text).toContain('Question 3 / 13');
    expect((await bot.say('retour')).text).toContain('Question 2 / 13');
    expect((await bot.say('non')).text).toContain('Question 5 / 13');
  });

  it('« quelles questions restent ? » liste les questions sans réponse et à vérifier, puis redonne la question', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    await bot.say('je ne sais pas');
    await bot.say('passer');
    const reply = await bot.say('quelles questions restent ?');
    expect(reply.text).toContain('Sans réponse : 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 et 13.');
    expect(reply.text).toContain('À vérifier (« je ne sais pas ») : 2.');
    expect(reply.text).toContain('« modifier la question 3 »');
    expect(reply.text).toContain('Question 4 / 13');
  });

  it('une question qui n’existe pas reçoit une explication, et la question en cours', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    const reply = await bot.say('modifier la question 40');
    expect(reply.text).toContain("Il n'y a pas de question 40 dans ce diagnostic (questions 1 à 13)");
    expect(reply.text).toContain('Question 1 / 13');
  });

  it('au récapitulatif d’un enjeu, une question hors de l’enjeu est expliquée et le récapitulatif revient', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    await bot.say('Recapville');
    await bot.say('commune');
    await bot.say('aucune');
    await bot.say('2'); // enjeu 1: indicators 1 to 14
    for (let n = 0; n < 14; n++) await bot.say('non');
    const reply = await bot.say('modifier la question 40');
    expect(reply.text).toContain("Il n'y a pas de question 40 dans ce diagnostic (questions 1 à 14)");
    expect(reply.text).toContain('Avant les résultats : vos réponses');
    expect(reply.text).not.toContain('problème technique');
    const help = await bot.say('aide');
    expect(help.text).toContain('Voici ce que je sais faire');
    expect(help.text).toContain('Avant les résultats : vos réponses');
  });
});

describe('Règle : « je ne sais pas » est dit mis de côté, partout avec le même compte', () => {
  it('la pause compte la réponse et dit qu’elle est mise de côté ; les résultats disent les réponses connues', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    await bot.say('je ne sais pas');
    await bot.say('non');
    const paused = await bot.say('pause');
    expect(paused.text).toContain(
      '3 réponses sur 13, dont 1 « je ne sais pas » (mis de côté dans les scores)',
    );
    const results = await bot.say('résultats');
    expect(results.text).toContain(
      'Couverture : 2 réponses connues sur 13 (15 %) ; 1 « je ne sais pas » mis de côté',
    );
  });
});
