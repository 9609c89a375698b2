import { cardTemplate, type CardJson } from './template.js';

interface SuggestionsData {
  question: string;
  topics: { title: string; value: string }[];
  hint: string;
  speak: string;
  fallback: string;
}

const template = cardTemplate<SuggestionsData>('argumentaireSuggestions');

/** When a free question matches weakly: the closest topics, to pick rather than a guess. */
export function argumentaireSuggestionsCard(topics: { id: string; title: string }[]): CardJson {
  const question =
    "Je ne suis pas sûr d'avoir bien compris. Votre question porte-t-elle sur l'un de ces sujets ?";
  const numbered = topics.map((t, i) => `${i + 1}. ${t.title}`).join(', ');
  const hint = `Touchez un sujet ou tapez son numéro (1 à ${topics.length}). Vous pouvez aussi reformuler votre question.`;
  return template({
    question,
    topics: topics.map((t, i) => ({ title: `${i + 1}. ${t.title}`, value: t.id })),
    hint,
    speak: `${question} ${numbered}.`,
    fallback: `${question}\n${numbered}\n${hint}`,
  });
}
