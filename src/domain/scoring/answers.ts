export const answerValues = ['oui', 'en_partie', 'non', 'nsp'] as const;
export type AnswerValue = (typeof answerValues)[number];

export const answerLabels: Record<AnswerValue, string> = {
  oui: 'Oui',
  en_partie: 'En partie',
  non: 'Non',
  nsp: 'Je ne sais pas',
};

/** Oui = 1, En partie = 0.5, Non = 0; "Je ne sais pas" has no value and is left out of every mean. */
export function answerPoints(value: AnswerValue): number | undefined {
  switch (value) {
    case 'oui':
      return 1;
    case 'en_partie':
      return 0.5;
    case 'non':
      return 0;
    case 'nsp':
      return undefined;
  }
}

export interface Answer {
  indicator: number;
  value: AnswerValue;
  /** Amounts and counts asked by some indicators, by quantity id: recorded and reported, never scored. */
  quantities?: Record<string, number>;
  /** Who answered (an opaque respondent id) and when (ISO date). */
  by?: string;
  at?: string;
}
