import type { Command } from '../src/domain/language/commands.js';
import { cardTemplate, type CardJson } from './template.js';

interface RestartData {
  question: string;
  label: string;
  command: Command;
  argument: string;
}

const template = cardTemplate<RestartData>('restart');

/** « Vous avez un diagnostic en cours… » before starting another: reprendre it, or start a new one. */
export function restartCard(view: {
  label: 'diagnostic rapide' | 'diagnostic complet';
  answered: number;
  total: number;
  command: Command;
  argument: string;
}): CardJson {
  const answers = `${view.answered} réponse${view.answered > 1 ? 's' : ''} sur ${view.total}`;
  return template({
    question: `Vous avez un ${view.label} en cours (${answers}). Le reprendre, ou en commencer un nouveau ? Dans les deux cas, les réponses déjà données restent enregistrées.`,
    label: view.label,
    command: view.command,
    argument: view.argument,
  });
}
