import { cardTemplate, type CardJson } from './template.js';

interface ChoiceData {
  step: string | null;
  question: string;
  help: string | null;
  field: string;
  /** The full labels, as one numbered list, when some buttons carry a shorter title. */
  labels: string | null;
  /** Buttons by rows: Teams shows at most 6 buttons in one ActionSet and hides the rest in a menu. */
  rows: { choices: { title: string; value: string }[] }[];
  hint: string;
  speak: string;
  fallback: string;
}

const template = cardTemplate<ChoiceData>('choice');

export const buttonsPerRow = 5;

/**
 * A question with a few buttons (collectivité type, scope, situation…); each can also be typed, or its number.
 * A choice's `button` is a shorter title for its button, the full `title` is then listed in the card.
 */
export function choiceCard(options: {
  field: string;
  question: string;
  choices: { title: string; value: string; button?: string }[];
  step?: string;
  help?: string;
  hint?: string;
}): CardJson {
  const numbered = options.choices.map((c, i) => `${i + 1}. ${c.title}`).join(', ');
  const buttons = options.choices.map((c) => ({ title: c.button ?? c.title, value: c.value }));
  const rows = [];
  for (let i = 0; i < buttons.length; i += buttonsPerRow)
    rows.push({ choices: buttons.slice(i, i + buttonsPerRow) });
  const shortened = options.choices.some((c) => c.button && c.button !== c.title);
  const hint =
    options.hint ?? 'Touchez un bouton, ou tapez votre choix ou son numéro. « annuler » pour arrêter.';
  return template({
    step: options.step ?? null,
    question: options.question,
    help: options.help ?? null,
    field: options.field,
    labels: shortened ? options.choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n') : null,
    rows,
    hint,
    speak: `${options.question} ${numbered}.`,
    fallback: `${options.question}\n${numbered}`,
  });
}
