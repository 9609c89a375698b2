import { editDistance, normalize } from './normalize.js';

export interface ChoiceOption<T> {
  value: T;
  label: string;
  /** A shorter title for the card's button, when the label is too long for a phone (the label is in the card). */
  button?: string;
  synonyms?: string[];
}

/** The normalised labels and synonyms of each option, computed once per list of options. */
const normalised = new WeakMap<readonly ChoiceOption<unknown>[], string[][]>();

function phrasesOf(options: readonly ChoiceOption<unknown>[]): string[][] {
  let phrases = normalised.get(options);
  if (!phrases) {
    phrases = options.map((o) =>
      [o.label, ...(o.button ? [o.button] : []), ...(o.synonyms ?? [])].map(normalize),
    );
    normalised.set(options, phrases);
  }
  return phrases;
}

/**
 * Understands a typed choice: its number in the list ("2"), its label, a synonym, or a near miss of one
 * (one typo per word of 5+ letters). Returns undefined when nothing matches clearly.
 */
export function matchChoice<T>(text: string, options: readonly ChoiceOption<T>[]): T | undefined {
  const typed = normalize(text);
  if (!typed) return undefined;
  const squashed = typed.replace(/([a-z])\1+/g, '$1');
  const numeric = /^(?:n ?|numero |choix |option |reponse )?(\d{1,2})$/.exec(typed);
  if (numeric) return options[Number(numeric[1]) - 1]?.value;

  const phrases = phrasesOf(options);
  for (let i = 0; i < options.length; i++) {
    if (phrases[i]!.includes(typed) || phrases[i]!.includes(squashed)) return options[i]!.value;
  }
  const tolerance = (s: string) => (s.length >= 8 ? 2 : s.length >= 5 ? 1 : 0);
  const near = options.filter((_, i) =>
    phrases[i]!.some((p) => tolerance(p) > 0 && editDistance(typed, p, tolerance(p)) <= tolerance(p)),
  );
  return near.length === 1 ? near[0]!.value : undefined;
}

/** The option a card button stands for: its value, sent back as it was put in the card. */
export function choiceByValue<T>(value: unknown, options: readonly ChoiceOption<T>[]): T | undefined {
  return options.find((o) => o.value === value)?.value;
}
