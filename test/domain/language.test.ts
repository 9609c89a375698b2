import { afterAll, describe, expect, it } from 'vitest';
import { parseAnswer } from '../../src/domain/language/answers.js';
import { parseCommand } from '../../src/domain/language/commands.js';
import { parseQuantity as parseWith } from '../../src/domain/language/numbers.js';
import { readNumberWords, stopNumberWords } from '../../src/language/numberWords.js';

afterAll(() => stopNumberWords());
const parseQuantity = (text: string, unit: Parameters<typeof parseWith>[1]) =>
  parseWith(text, unit, readNumberWords);

describe('Règle : tout choix de carte peut aussi être tapé (libellé, numéro, synonyme courant)', () => {
  it.each([
    ['oui', 'oui'],
    ['Oui !', 'oui'],
    ['ouais', 'oui'],
    ['ouiii', 'oui'],
    ['1', 'oui'],
    ['tout à fait', 'oui'],
    ['en partie', 'en_partie'],
    ['Partiellement', 'en_partie'],
    ['2', 'en_partie'],
    ['plus ou moins', 'en_partie'],
    ['non', 'non'],
    ['Non.', 'non'],
    ['pas du tout', 'non'],
    ['3', 'non'],
    ['je ne sais pas', 'nsp'],
    ['je sais pas', 'nsp'],
    ['nsp', 'nsp'],
    ['4', 'nsp'],
    ['aucune idée', 'nsp'],
  ])('« %s » → %s', (typed, expected) => {
    expect(parseAnswer(typed)).toBe(expected);
  });

  it.each(['5', 'peut-être demain', '', 'oui mais non'])('« %s » n’est pas une réponse', (typed) => {
    expect(parseAnswer(typed)).toBeUndefined();
  });
});

describe('Règle : les réponses nuancées ont une valeur documentée (un oui avec réserve ou un travail en cours = En partie)', () => {
  it.each([
    ['plutôt oui', 'en_partie'],
    ['Plutôt oui !', 'en_partie'],
    ['plutôt non', 'non'],
    ['on y travaille', 'en_partie'],
    ["c'est en cours", 'en_partie'],
    ['c’est en cours de rédaction', 'en_partie'],
    ['oui mais pas formalisé', 'en_partie'],
    ['Oui, mais pas encore voté.', 'en_partie'],
    ['non pas encore', 'non'],
    ['je ne sais pas trop', 'nsp'],
  ])('« %s » → %s', (typed, expected) => {
    expect(parseAnswer(typed)).toBe(expected);
  });

  it.each([
    'je ne sais pas quoi répondre à mon maire',
    'oui mais on n’a pas encore de délibération votée par le conseil municipal cette année',
  ])('un long message (une question, pas une réponse) n’est pas lu comme une réponse : « %s »', (typed) => {
    expect(parseAnswer(typed)).toBeUndefined();
  });
});

describe('Règle : les commandes globales sont reconnues seules, avec ou sans accents', () => {
  it.each([
    ['menu', 'menu'],
    ['Aide', 'aide'],
    ['retour', 'retour'],
    ['passer', 'passer'],
    ['pause', 'pause'],
    ['reprendre', 'reprendre'],
    ['résultats', 'resultats'],
    ['resultats', 'resultats'],
    ['annuler', 'annuler'],
    ['mes données', 'mes_donnees'],
    ['supprimer mes données', 'supprimer_donnees'],
    ['diagnostic rapide', 'diagnostic_rapide'],
    ['Diagnostic complet', 'diagnostic_complet'],
    ['convaincre mon élu', 'convaincre'],
    ['je veux reprendre', 'reprendre'],
  ])('« %s » → %s', (typed, command) => {
    expect(parseCommand(typed)?.command).toBe(command);
  });

  it('une phrase qui contient un mot de commande n’est pas une commande', () => {
    expect(parseCommand('le maire veut un menu plus clair')).toBeUndefined();
    expect(parseCommand('on a un budget mais pas de résultats')).toBeUndefined();
  });

  it('« rejoindre CODE » garde le code tel que tapé', () => {
    expect(parseCommand('rejoindre K7QF-M2XP-9R')).toEqual({
      command: 'rejoindre',
      argument: 'K7QF-M2XP-9R',
    });
  });
});

describe('Règle : les quantités se tapent comme on les dit en français', () => {
  it.each([
    ['45 000 €', 'EUR', 45000],
    ['45000', 'EUR', 45000],
    ['1,5 M€', 'EUR', 1500000],
    ['12 k€', 'EUR', 12000],
    ["2 millions d'euros", 'EUR', 2000000],
    ['environ 200', 'count', 200],
    ['30 %', 'percent', 30],
    ['3,5', 'ETP', 3.5],
    ['douze', 'count', 12],
    ['douze mille euros', 'EUR', 12000],
  ] as const)('« %s » (%s) → %d', async (typed, unit, value) => {
    expect(await parseQuantity(typed, unit)).toEqual({ ok: true, value });
  });

  it('refuse les nombres négatifs, trop grands, absents ou multiples', async () => {
    expect(await parseQuantity('-5', 'count')).toEqual({ ok: false, reason: 'negative' });
    expect(await parseQuantity('120 %', 'percent')).toEqual({ ok: false, reason: 'too_large' });
    expect(await parseQuantity('1 000 000 000 000 €', 'EUR')).toEqual({ ok: false, reason: 'too_large' });
    expect(await parseQuantity('beaucoup', 'count')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(await parseQuantity('12 et 13', 'count')).toEqual({ ok: false, reason: 'ambiguous' });
  });
});
