import type { Argumentaire } from '../src/domain/elus/argumentaire.js';
import { argumentaireOptions, type ArgumentaireAction } from '../src/domain/elus/choices.js';
import { cardTemplate, type CardJson } from './template.js';

interface ArgumentaireData {
  title: string;
  context: string | null;
  echelon: Argumentaire['echelon'] | null;
  frein: Argumentaire['frein'] | null;
  diagnostic: Argumentaire['diagnostic'] | null;
  project: Argumentaire['project'] | null;
  quote: Argumentaire['quote'] | null;
  angle: { title: string; text: string; service: string | null };
  actions: { number: number; title: string; text: string }[];
  figures: Argumentaire['figures'];
  /** The first key figure, shown before « Tout l'argumentaire ». */
  firstFigure: Argumentaire['figures'][number] | null;
  relays: string[];
  resources: string[];
  source: string;
  buttons: { title: string; field: string; value: ArgumentaireAction }[];
  hint: string;
  speak: string;
  fallback: string;
}

const template = cardTemplate<ArgumentaireData>('argumentaire');

/** Card field of each button: `{ action: 'choice', field, value }`. */
export const argumentaireFields: Record<ArgumentaireAction, string> = {
  next: 'elus_next',
  copy: 'elus_copy',
  restart: 'elus_restart',
};

/** The argumentaire: angle, frein, three actions, an example, two figures, relays, resources; then what next. */
export function argumentaireCard(arg: Argumentaire): CardJson {
  const hint =
    'Touchez un bouton ou tapez « un autre argument » (1), « version à copier » (2), « modifier » (3) ou « menu ».';
  return template({
    title: arg.title,
    context: arg.context.length > 0 ? arg.context.join(' · ') : null,
    angle: { title: arg.angle.title, text: arg.angle.text, service: arg.angle.service ?? null },
    echelon: arg.echelon ?? null,
    frein: arg.frein ?? null,
    diagnostic: arg.diagnostic ?? null,
    actions: arg.actions.map((a, i) => ({ number: i + 1, ...a })),
    project: arg.project ?? null,
    figures: arg.figures,
    firstFigure: arg.figures[0] ?? null,
    quote: arg.quote ?? null,
    relays: arg.relays,
    resources: arg.resources,
    source: arg.source,
    buttons: argumentaireOptions.map((o) => ({
      title: o.label,
      field: argumentaireFields[o.value],
      value: o.value,
    })),
    hint,
    speak: `${arg.title}. ${arg.angle.text}`,
    fallback: [
      arg.title,
      ...arg.context,
      arg.angle.text,
      ...(arg.frein ? [arg.frein.title, arg.frein.text] : []),
      ...arg.actions.map((a, i) => `${i + 1}. ${a.title} : ${a.text}`),
      ...arg.figures.map((f) => `${f.value} — ${f.text} (${f.source})`),
      hint,
    ].join('\n'),
  });
}
