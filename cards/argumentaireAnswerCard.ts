import type { TopicAnswer } from '../src/domain/elus/topicAnswer.js';
import { cardTemplate, type CardJson } from './template.js';

interface AnswerData {
  title: string;
  text: string;
  details: string[];
  quote: { text: string; author: string } | null;
  source: string;
  hint: string;
  buttons: { title: string; field: string; value: string }[];
  speak: string;
  fallback: string;
}

const template = cardTemplate<AnswerData>('argumentaireAnswer');

/**
 * The direct answer to a free question, with its source. Buttons: build an argumentaire from this topic (1),
 * then related topics (2, 3…).
 */
export function argumentaireAnswerCard(
  answer: TopicAnswer,
  related: { id: string; title: string }[],
): CardJson {
  const buttons = [
    { title: 'Construire mon argumentaire', field: 'elus_start', value: answer.start ?? answer.topicId },
    ...related.map((r) => ({ title: `Voir aussi : ${r.title}`, field: 'elus_topic', value: r.id })),
  ];
  const hint =
    related.length > 0
      ? `Tapez 1 pour un argumentaire adapté à votre cas, ${related.map((_, i) => i + 2).join(' ou ')} pour un sujet proche, ou posez une autre question.`
      : 'Tapez 1 pour un argumentaire adapté à votre cas, ou posez une autre question.';
  return template({
    title: answer.title,
    text: answer.text,
    details: answer.details,
    quote: answer.quote ?? null,
    source: answer.source,
    hint,
    buttons,
    speak: `${answer.title}. ${answer.text}`,
    fallback: [answer.title, answer.text, ...answer.details.map((d) => `- ${d}`), answer.source, hint].join(
      '\n',
    ),
  });
}
