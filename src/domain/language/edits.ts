import type { AnswerValue } from '../scoring/answers.js';
import { parseAnswer } from './answers.js';
import { normalize } from './normalize.js';

/** « modifier la question 12 », « je me suis trompé à la 3, c'est non »: go back to a question, maybe with the answer. */
export interface EditRequest {
  /** The number the person read on the card (« Question 3 / 13 », « Indicateur 12 / 68 »). */
  number: number;
  value?: AnswerValue;
}

const numberWords: Record<string, number> = {
  une: 1,
  un: 1,
  premiere: 1,
  deux: 2,
  deuxieme: 2,
  trois: 3,
  troisieme: 3,
  quatre: 4,
  cinq: 5,
  six: 6,
  sept: 7,
  huit: 8,
  neuf: 9,
  dix: 10,
  onze: 11,
  douze: 12,
  treize: 13,
};

const editVerb =
  /\b(modifier|modifie|changer|change|corriger|corrige|revenir|retourner|aller|reprendre|revoir|tromp\w*|erreur|mal repondu)\b/;
const target = new RegExp(
  String.raw`\b(?:(?:a )?la (?:question )?|(?:a )?l indicateur |question |indicateur |n |numero |au |le )(\d{1,2}|${Object.keys(numberWords).join('|')})\b`,
);

/** Undefined when the message does not ask to change or revisit a numbered question. */
export function parseEdit(text: string): EditRequest | undefined {
  const typed = normalize(text);
  if (!editVerb.test(typed)) return undefined;
  const found = target.exec(typed);
  if (!found) return undefined;
  const number = /^\d+$/.test(found[1]!) ? Number(found[1]) : numberWords[found[1]!]!;
  if (number < 1) return undefined;
  const after = typed.slice(found.index + found[0].length);
  const said = /\b(?:c est|c etait|la reponse est|reponse|mettre|mettez|mets|je mets|plutot)\s+(.+)$/.exec(
    after,
  );
  const rest = after.trim();
  const value = said ? parseAnswer(said[1]!) : rest ? parseAnswer(rest) : undefined;
  return value ? { number, value } : { number };
}

/** « quelles questions restent ? », « qu'est-ce qu'il me reste », « questions sans réponse ». */
export function asksRemaining(text: string): boolean {
  return /\b(questions? (qui )?rest\w*|il (me |nous )?reste|reste t il|sans reponse|pas repondu|questions? (passees|manquantes|oubliees)|a verifier)\b/.test(
    normalize(text),
  );
}
