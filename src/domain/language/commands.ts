import { normalize } from './normalize.js';

export const commands = [
  'menu',
  'aide',
  'retour',
  'passer',
  'pause',
  'reprendre',
  'resultats',
  'details',
  'annuler',
  'mes_donnees',
  'supprimer_donnees',
  'diagnostic_rapide',
  'diagnostic_complet',
  'convaincre',
  'evolution',
  'rapport',
  'rejoindre',
  'inviter',
  'revoquer',
  'desaccords',
  'code_reprise',
  'revoquer_reprise',
  'nommer',
] as const;
export type Command = (typeof commands)[number];

const phrases: Record<Command, string[]> = {
  menu: [
    'menu',
    'accueil',
    'retour au menu',
    'menu principal',
    'debut',
    'bonjour',
    'salut',
    'hello',
    'coucou',
    'start',
    'demarrer',
    'commencer',
  ],
  aide: [
    'aide',
    'help',
    '?',
    'a l aide',
    'besoin d aide',
    'comment ca marche',
    'que peux tu faire',
    'qu est ce que tu sais faire',
    'mode d emploi',
    'commandes',
  ],
  retour: [
    'retour',
    'precedent',
    'precedente',
    'question precedente',
    'revenir',
    'revenir en arriere',
    'en arriere',
    'back',
    'corriger',
    'modifier ma reponse',
  ],
  passer: [
    'passer',
    'passe',
    'je passe',
    'suivant',
    'suivante',
    'question suivante',
    'skip',
    'sauter',
    'plus tard pour celle ci',
  ],
  pause: [
    'pause',
    'faire une pause',
    'stop',
    'arreter',
    'arreter pour l instant',
    'plus tard',
    'je reviendrai',
    'a plus tard',
    'on s arrete la',
    'je continue plus tard',
  ],
  reprendre: [
    'reprendre',
    'reprise',
    'continuer',
    'on continue',
    'reprendre le diagnostic',
    'reprendre mon diagnostic',
    'continuer le diagnostic',
    'ou j en etais',
    'je reprends',
  ],
  resultats: [
    'resultats',
    'resultat',
    'mes resultats',
    'voir les resultats',
    'voir mes resultats',
    'score',
    'mon score',
    'bilan',
    'niveau',
    'mon niveau',
  ],
  details: [
    'details',
    'detail',
    'voir le detail',
    'voir les details',
    'resultats detailles',
    'detail par prerequis',
  ],
  annuler: ['annuler', 'annule', 'abandonner', 'laisser tomber', 'cancel', 'quitter'],
  mes_donnees: [
    'mes donnees',
    'mes infos',
    'mes informations',
    'donnees personnelles',
    'rgpd',
    'exporter mes donnees',
    'quelles donnees',
  ],
  supprimer_donnees: [
    'supprimer mes donnees',
    'effacer mes donnees',
    'supprimer mon compte',
    'oublie moi',
    'droit a l oubli',
    'suppression de mes donnees',
  ],
  diagnostic_rapide: [
    'diagnostic rapide',
    'diag rapide',
    'autodiagnostic',
    'auto diagnostic',
    'test rapide',
    'diagnostic express',
    'evaluation rapide',
    'diagnostic en 3 minutes',
    'quick',
  ],
  diagnostic_complet: [
    'diagnostic complet',
    'diag complet',
    'diagnostic detaille',
    'diagnostic approfondi',
    'evaluation complete',
    'diagnostic',
    'faire un diagnostic',
    'nouveau diagnostic',
  ],
  convaincre: [
    'convaincre mon elu',
    'convaincre mes elus',
    'convaincre un elu',
    'convaincre les elus',
    'convaincre',
    'arguments',
    'argumentaire',
    'arguments pour mon elu',
    'comment convaincre mon elu',
    'mobiliser les elus',
    'mobiliser mes elus',
  ],
  evolution: ['evolution', 'progression', 'progres', 'comparer', 'comparaison', 'comparer avec l an dernier'],
  rapport: ['rapport', 'mon rapport', 'telecharger le rapport', 'pdf', 'export', 'exporter'],
  rejoindre: ['rejoindre'],
  inviter: [
    'inviter',
    'inviter un collegue',
    'inviter des collegues',
    'code',
    'code d invitation',
    'partager',
    'ajouter un collegue',
  ],
  code_reprise: [
    'code de reprise',
    'mon code de reprise',
    'mon code personnel',
    'code personnel',
    'nouveau code de reprise',
    'reprendre sur un autre appareil',
    'continuer sur un autre appareil',
    'reprendre sur un autre ordinateur',
    'continuer sur un autre ordinateur',
    'reprendre dans teams',
    'reprendre sur le web',
  ],
  nommer: ['nommer', 'nommer la collectivite', 'donner un nom'],
  revoquer_reprise: [
    'revoquer le code de reprise',
    'revoquer mon code de reprise',
    'desactiver le code de reprise',
    'supprimer le code de reprise',
    'annuler le code de reprise',
  ],
  revoquer: ['revoquer', 'revoquer le code', 'annuler le code', 'supprimer le code', 'desactiver le code'],
  desaccords: [
    'desaccords',
    'desaccord',
    'divergences',
    'vue consolidee',
    'consolidation',
    'ou sommes nous en desaccord',
    'comparer les reponses',
  ],
};

const index = new Map<string, Command>();
for (const command of commands)
  for (const phrase of phrases[command]) index.set(normalize(phrase) || phrase, command);

/** The argument of « diagnostic rapide » / « diagnostic complet » that starts a new one without asking. */
export const startAfresh = 'nouveau';

export interface ParsedCommand {
  command: Command;
  /** What follows the command word, e.g. the code in "rejoindre ABCD-1234". */
  argument?: string;
}

/** Recognises a global command typed alone (a sentence that merely contains the word is not a command). */
export function parseCommand(text: string): ParsedCommand | undefined {
  const input = normalize(text)
    .replace(/ s il (te|vous) plait$/, '')
    .replace(/^(je veux |je voudrais |on peut |peux tu )/, '');
  if (!input) return undefined;
  // « nommer Ville de Test »: the collectivité's name for a quick self-check (its report's title)
  const naming = /^nommer(?: la collectivite)?\s*:?\s+(.+)$/.exec(input);
  if (naming && !/^la collectivite$/.test(naming[1]!))
    return {
      command: 'nommer',
      argument: text.trim().replace(/^\S+(\s+la\s+collectivit[ée])?\s*:?\s*/i, ''),
    };
  const join = /^rejoindre\s+(.+)$/.exec(input);
  if (join) return { command: 'rejoindre', argument: text.trim().replace(/^\S+\s+/, '') };
  const command = index.get(input);
  if (command) return { command };
  const fresh =
    /^(?:nouveau|recommencer(?: le| un)?|commencer un nouveau) (diagnostic(?: rapide| complet)?)$/.exec(
      input,
    );
  if (fresh)
    return {
      command: fresh[1] === 'diagnostic complet' ? 'diagnostic_complet' : 'diagnostic_rapide',
      argument: startAfresh,
    };
  // « reprendre 7KQ2M-XP9RT-4HWZC »: a resume code after the word (src/domain/identity/resumeCode.ts)
  const resume =
    /^(?:reprendre|continuer|reprise)(?: avec)?(?: le code| mon code)?\s+([a-z0-9][a-z0-9 -]{8,24})$/.exec(
      input,
    );
  const code = resume?.[1]!.replace(/[ -]/g, '') ?? '';
  const looksLikeCode = /\d/.test(code) || (code.length >= 13 && code.length <= 17);
  return resume && looksLikeCode ? { command: 'reprendre', argument: resume[1]! } : undefined;
}
