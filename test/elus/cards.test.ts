import type { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { argumentaireAnswerCard } from '../../cards/argumentaireAnswerCard.js';
import { argumentaireCard } from '../../cards/argumentaireCard.js';
import { argumentaireSuggestionsCard } from '../../cards/argumentaireSuggestionsCard.js';
import { choiceCard } from '../../cards/choiceCard.js';
import { stepFields } from '../../dialogs/elusDialog.js';
import { readInput } from '../../dialogs/input.js';
import { stepOptions } from '../../src/domain/elus/choices.js';
import { profileSteps, type WeakPoint } from '../../src/domain/elus/profile.js';
import { cardProblems } from '../helpers/cards.js';
import { assistant, referential } from './helpers.js';

/** Every Action.Submit data object of a card. */
function submits(card: Record<string, unknown>): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Submit') found.push(o.data as Record<string, unknown>);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/** What the router makes of a button of this card: never « carte invalide ». */
function routed(value: Record<string, unknown>) {
  return readInput({
    activity: { type: 'message', text: '', value },
    turnState: new Map(),
  } as unknown as TurnContext);
}

function expectValid(card: Record<string, unknown>, label: string) {
  expect(cardProblems(card), label).toEqual([]);
  expect(card.version, label).toBe('1.5');
  for (const value of submits(card))
    expect(routed(value).kind, `${label}: ${JSON.stringify(value)}`).not.toBe('invalidCard');
}

const weakPoints: WeakPoint[] = referential.data.diagnostic
  .slice(0, 2)
  .map((link) => ({ for: link.for, label: `${link.for} : 0 %`, words: link.title, link }));

describe('Règle : les cartes « convaincre mon élu » sont des Adaptive Cards 1.5 valides, Action.Submit seulement', () => {
  it('chaque argumentaire (situations × freins × territoires, plusieurs variantes, avec ou sans diagnostic)', () => {
    for (const situation of [undefined, ...referential.data.situations.map((s) => s.id)]) {
      for (const frein of [undefined, ...referential.data.freins.map((f) => f.id)]) {
        for (const territoire of [undefined, ...referential.data.territoires.map((t) => t.id)]) {
          const profile = { situation, frein, territoire, echelon: 'commune', weakPoints };
          for (const variant of [0, 1, 5]) {
            const card = argumentaireCard(assistant.argumentaire(profile, variant));
            expectValid(card, `${situation} ${frein} ${territoire} ${variant}`);
          }
        }
      }
    }
  });

  it('les boutons de l’argumentaire : un autre argument, version à copier, modifier, menu', () => {
    const card = argumentaireCard(assistant.argumentaire({}));
    expect(submits(card)).toEqual([
      { action: 'choice', field: 'elus_next', value: 'next' },
      { action: 'choice', field: 'elus_copy', value: 'copy' },
      { action: 'choice', field: 'elus_restart', value: 'restart' },
      { action: 'command', command: 'menu' },
    ]);
  });

  it('la réponse à chaque sujet, et les sujets proposés', () => {
    for (const topic of referential.topics) {
      const related = referential.topics.slice(0, 2).map((t) => ({ id: t.id, title: t.title }));
      expectValid(argumentaireAnswerCard(assistant.answer(topic.id)!, related), topic.id);
    }
    const three = referential.topics.slice(5, 8).map((t) => ({ id: t.id, title: t.title }));
    const suggestions = argumentaireSuggestionsCard(three);
    expectValid(suggestions, 'suggestions');
    expect(
      submits(suggestions)
        .filter((v) => v.field === 'elus_topic')
        .map((v) => v.value),
    ).toEqual(three.map((t) => t.id));
  });

  it('chaque étape du parcours, avec son bouton « Passer cette étape »', () => {
    for (const step of profileSteps) {
      const options = stepOptions(referential, step);
      const card = choiceCard({
        field: stepFields[step],
        question: step,
        choices: options.map((o) => ({ title: o.label, value: o.value })),
      });
      expectValid(card, step);
      expect(submits(card).at(-1)).toEqual({ action: 'choice', field: stepFields[step], value: 'passer' });
    }
  });
});
