import type { AnswerValue } from '../scoring/answers.js';
import { answerLabels } from '../scoring/answers.js';
import { matchChoice, type ChoiceOption } from './choices.js';

export const answerOptions: readonly ChoiceOption<AnswerValue>[] = [
  {
    value: 'oui',
    label: answerLabels.oui,
    synonyms: ['o', 'ouais', 'ouai', 'ouep', 'yes', 'oui oui', 'tout a fait', 'absolument', 'bien sur', 'exact', 'exactement', 'affirmatif', 'c est le cas', 'oui c est le cas', 'carrement', 'evidemment', 'yep', 'ok', 'oki', 'd accord'],
  },
  {
    value: 'en_partie',
    label: answerLabels.en_partie,
    synonyms: ['partie', 'partiellement', 'en partie oui', 'un peu', 'moyen', 'moyennement', 'plus ou moins', 'a moitie', 'pas completement', 'pas tout a fait', 'pas entierement', 'en cours', 'c est en cours', 'pas encore completement', 'bof', 'ca depend', 'presque', 'oui et non', 'en partie seulement'],
  },
  {
    value: 'non',
    label: answerLabels.non,
    synonyms: ['n', 'nan', 'nope', 'no', 'non pas du tout', 'pas du tout', 'aucun', 'aucune', 'jamais', 'pas vraiment', 'pas encore', 'absolument pas', 'toujours pas', 'rien', 'nada', 'non plus'],
  },
  {
    value: 'nsp',
    label: answerLabels.nsp,
    synonyms: ['nsp', 'jsp', 'je sais pas', 'sais pas', 'ne sais pas', 'je ne sais', 'j sais pas', 'chais pas', 'je ne suis pas sur', 'pas sur', 'aucune idee', 'je ne sais pas trop', 'inconnu', 'ne sait pas', 'a verifier', 'je dois verifier', 'jsais pas', 'ché pas'],
  },
];

export function parseAnswer(text: string): AnswerValue | undefined {
  return matchChoice(text, answerOptions);
}
