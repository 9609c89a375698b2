import type { IndicateurRef } from '../src/domain/referential/load.js';
import type { Quantity } from '../src/domain/referential/schema.js';
import { cardTemplate, type CardJson } from './template.js';

interface QuantityData {
  position: string;
  label: string;
  help: string;
  inputLabel: string;
  placeholder: string;
  current: string;
  indicator: number;
  quantityId: string;
  speak: string;
  fallback: string;
}

const template = cardTemplate<QuantityData>('quantity');

const examples: Record<Quantity['unit'], { unit: string; placeholder: string }> = {
  EUR: { unit: 'en euros', placeholder: 'par ex. 45 000 € ou 1,5 M€' },
  count: { unit: 'un nombre', placeholder: 'par ex. 12 ou « douze »' },
  percent: { unit: 'en %', placeholder: 'par ex. 30 %' },
  ETP: { unit: 'en équivalents temps plein', placeholder: 'par ex. 1,5' },
  other: { unit: 'une valeur', placeholder: 'par ex. 10' },
};

export function quantityCard(view: {
  ref: IndicateurRef;
  quantity: Quantity;
  index: number;
  count: number;
  current?: number;
}): CardJson {
  const { ref, quantity } = view;
  const example = examples[quantity.unit];
  const position = `Indicateur ${ref.indicateur.number} — précision ${view.index} / ${view.count} (facultative)`;
  const help = `Tapez ${example.unit} (${example.placeholder}), ou « passer » si vous ne l'avez pas sous la main. Ce chiffre figure dans le rapport ; il ne compte pas dans le score.`;
  return template({
    position,
    label: quantity.label,
    help,
    inputLabel: quantity.label,
    placeholder: example.placeholder,
    current: view.current === undefined ? '' : String(view.current),
    indicator: ref.indicateur.number,
    quantityId: quantity.id,
    speak: `${position}. ${quantity.label}. ${help}`,
    fallback: `${position}\n${quantity.label}\n${help}`,
  });
}
