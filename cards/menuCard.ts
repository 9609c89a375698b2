import type { Command } from '../src/domain/language/commands.js';
import { cardTemplate, type CardJson } from './template.js';

interface MenuData {
  title: string;
  intro: string;
  resume: string | null;
  hint: string;
  speak: string;
  fallback: string;
  actions: { title: string; command: Command }[];
}

const template = cardTemplate<MenuData>('menu');

export const menuActions: { title: string; command: Command }[] = [
  { title: 'Diagnostic rapide (3 min)', command: 'diagnostic_rapide' },
  { title: 'Diagnostic complet', command: 'diagnostic_complet' },
  { title: 'Convaincre mon élu', command: 'convaincre' },
  { title: 'Reprendre', command: 'reprendre' },
  { title: 'Aide', command: 'aide' },
];

/** The welcome and menu card; `resume` tells where an unfinished diagnostic stands. */
export function menuCard(options: { welcome: boolean; resume?: string }): CardJson {
  const intro = options.welcome
    ? 'Bonjour ! Je vous aide à évaluer la maturité de votre collectivité en inclusion numérique (référentiel de La Mednum) et à trouver les arguments pour convaincre vos élus.'
    : 'Que voulez-vous faire ?';
  const hint =
    'Touchez un bouton ou tapez : « diagnostic rapide », « diagnostic complet », « convaincre mon élu », « reprendre » ou « aide ».';
  return template({
    title: 'Assistant maturité — inclusion numérique',
    intro,
    resume: options.resume ?? null,
    hint,
    speak: `${intro} ${hint}`,
    fallback: `${intro}\n${menuActions.map((a, i) => `${i + 1}. ${a.title}`).join('\n')}`,
    actions: menuActions,
  });
}
