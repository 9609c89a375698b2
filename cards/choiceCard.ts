import { cardTemplate, type CardJson } from './template.js';

interface ChoiceData {
  step: string | null;
  question: string;
  help: string | null;
  field: string;
  choices: { title: string; value: string }[];
  hint: string;
  speak: string;
  fallback: string;
}

const template = cardTemplate<ChoiceData>('choice');

/** A question with a few buttons (collectivité type, scope, situation…); each can also be typed, or its number. */
export function choiceCard(options: {
  field: string;
  question: string;
  choices: { title: string; value: string }[];
  step?: string;
  help?: string;
  hint?: string;
}): CardJson {
  const numbered = options.choices.map((c, i) => `${i + 1}. ${c.title}`).join(', ');
  const hint =
    options.hint ?? 'Touchez un bouton, ou tapez votre choix ou son numéro. « annuler » pour arrêter.';
  return template({
    step: options.step ?? null,
    question: options.question,
    help: options.help ?? null,
    field: options.field,
    choices: options.choices,
    hint,
    speak: `${options.question} ${numbered}.`,
    fallback: `${options.question}\n${numbered}`,
  });
}
