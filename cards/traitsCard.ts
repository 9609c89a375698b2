import { territoryTraitLabels, territoryTraits } from '../src/domain/collectivite/collectivite.js';
import { cardTemplate, type CardJson } from './template.js';

interface TraitsData {
  step: string;
  question: string;
  traits: { title: string; value: string }[];
  hint: string;
  speak: string;
  fallback: string;
}

const template = cardTemplate<TraitsData>('traits');
export const traitChoices = territoryTraits.map((value) => ({ value, title: territoryTraitLabels[value] }));

export function traitsCard(step: string): CardJson {
  const question = 'Votre territoire a-t-il une ou plusieurs de ces caractéristiques ?';
  const numbered = traitChoices.map((t, i) => `${i + 1}. ${t.title}`).join(', ');
  return template({
    step,
    question,
    traits: traitChoices,
    hint: 'Cochez puis « Valider », ou tapez les numéros (par ex. « 1 3 ») ou « aucune ».',
    speak: `${question} ${numbered}.`,
    fallback: `${question}\n${numbered}\nTapez les numéros, ou « aucune ».`,
  });
}
