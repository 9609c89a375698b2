import type { AnswerValue } from '../scoring/answers.js';
import { answerLabels } from '../scoring/answers.js';
import { matchChoice, type ChoiceOption } from './choices.js';
import { normalize } from './normalize.js';

export const answerOptions: readonly ChoiceOption<AnswerValue>[] = [
  {
    value: 'oui',
    label: answerLabels.oui,
    synonyms: [
      'o',
      'ouais',
      'ouai',
      'ouep',
      'yes',
      'oui oui',
      'tout a fait',
      'absolument',
      'bien sur',
      'exact',
      'exactement',
      'affirmatif',
      'c est le cas',
      'oui c est le cas',
      'carrement',
      'evidemment',
      'yep',
      'ok',
      'oki',
      'd accord',
    ],
  },
  {
    value: 'en_partie',
    label: answerLabels.en_partie,
    synonyms: [
      'partie',
      'partiellement',
      'en partie oui',
      'un peu',
      'moyen',
      'moyennement',
      'plus ou moins',
      'a moitie',
      'pas completement',
      'pas tout a fait',
      'pas entierement',
      'en cours',
      'c est en cours',
      'pas encore completement',
      'bof',
      'ca depend',
      'presque',
      'oui et non',
      'en partie seulement',
    ],
  },
  {
    value: 'non',
    label: answerLabels.non,
    synonyms: [
      'n',
      'nan',
      'nope',
      'no',
      'non pas du tout',
      'pas du tout',
      'aucun',
      'aucune',
      'jamais',
      'pas vraiment',
      'pas encore',
      'absolument pas',
      'toujours pas',
      'rien',
      'nada',
      'non plus',
    ],
  },
  {
    value: 'nsp',
    label: answerLabels.nsp,
    synonyms: [
      'nsp',
      'jsp',
      'je sais pas',
      'sais pas',
      'ne sais pas',
      'je ne sais',
      'j sais pas',
      'chais pas',
      'je ne suis pas sur',
      'pas sur',
      'aucune idee',
      'je ne sais pas trop',
      'inconnu',
      'ne sait pas',
      'a verifier',
      'je dois verifier',
      'jsais pas',
      'ché pas',
    ],
  },
];

/**
 * Answers with a nuance, read on the normalised text when no option matches as a whole. The rule: a yes with a
 * reservation, or work under way, is « En partie »; a leaning no is « Non »; the recorded answer is always said back
 * to the person (« Noté : En partie. »), who can change it. Only short messages are read so: a longer one is
 * rather a question (« je ne sais pas quoi répondre à mon maire… »).
 */
const maxNuancedWords = 10;
const nuanced: [RegExp, AnswerValue][] = [
  [
    /^(je ne sais pas|je sais pas|sais pas|aucune idee|nsp|jsp|pas sur)( trop| encore| exactement| vraiment)?$/,
    'nsp',
  ],
  [/^plutot (non|pas)\b/, 'non'],
  [/^(non|nan) (pas|toujours pas|rien|jamais|aucun|aucune)\b/, 'non'],
  [/^plutot (oui|bien)\b/, 'en_partie'],
  [/^(oui|ouais) (mais|sauf|enfin|sans|pas|en partie|un peu|partiellement)\b(?!.*\bnon\b)/, 'en_partie'],
  [
    /\b(en cours|on y travaille|on travaille dessus|on y reflechit|ca avance|en projet|en preparation|a l etude|ca commence|on a commence|on commence)\b/,
    'en_partie',
  ],
];

export function parseAnswer(text: string): AnswerValue | undefined {
  const whole = matchChoice(text, answerOptions);
  if (whole) return whole;
  const typed = normalize(text);
  if (typed.split(' ').length > maxNuancedWords) return undefined;
  return nuanced.find(([pattern]) => pattern.test(typed))?.[1];
}

/** Whether a typed text says « I do not know » (used to leave an amount unanswered). */
export function saysDontKnow(text: string): boolean {
  return parseAnswer(text) === 'nsp';
}
