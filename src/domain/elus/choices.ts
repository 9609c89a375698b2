import type { ChoiceOption } from '../language/choices.js';
import type { ElusReferential } from './load.js';
import type { ProfileStep } from './profile.js';

/** Skipping a step of the guided path: its button value, and what people type. */
export const skipValue = 'passer';
const skipOption: ChoiceOption<string> = {
  value: skipValue,
  label: 'Passer cette étape',
  synonyms: [
    'passer',
    'je passe',
    'aucune idee',
    'je ne sais pas',
    'je sais pas',
    'sais pas',
    'nsp',
    'peu importe',
    'aucun',
    'aucune',
    'ni l un ni l autre',
    'sans',
    'autre',
  ],
};

/** Typed words for each choice, beyond its label and number (accents folded by `matchChoice`). */
const synonyms: Record<string, string[]> = {
  'situation:aucun-lien': [
    'aucun lien',
    'pas de lien',
    'pas de contact',
    'aucun contact',
    'je ne les connais pas',
    'je connais pas les elus',
    'pas en contact',
    'pas de relation',
    'je ne connais personne',
    'aucune relation',
    'pas de lien avec les elus',
  ],
  'situation:non-investis': [
    'pas investis',
    'non investis',
    'pas impliques',
    'pas engages',
    'ils ne s investissent pas',
    'pas mobilises',
    'en lien mais pas investis',
    'desinvestis',
    'pas interesses',
    'peu investis',
    'ils ne suivent pas',
  ],
  'situation:convaincus': [
    'convaincus',
    'convaincu',
    'deja convaincus',
    'ils sont convaincus',
    'partants',
    'motives',
    'aller plus loin',
    'engages',
    'ils sont d accord',
    'd accord',
  ],
  'frein:temps': [
    'temps',
    'pas le temps',
    'manque de temps',
    'pas de temps',
    'priorite',
    'pas prioritaire',
    'debordes',
    'occupes',
    'agenda',
  ],
  'frein:connaissance': [
    'connaissance',
    'connaissances',
    'manque de connaissances',
    'interet',
    'pas d interet',
    'peu d interet',
    'ils s en fichent',
    'desinteret',
    'pas sensibilises',
    'ils n y connaissent rien',
  ],
  'frein:transversal': [
    'transversal',
    'transversalite',
    'sujet transversal',
    'sujet recent',
    'complexe',
    'sectoriel',
    'vision sectorielle',
    'trop technique',
  ],
  'frein:desaccords': [
    'desaccord',
    'desaccords',
    'conflit',
    'conflits',
    'pas d accord',
    'divergences',
    'opposition',
    'tensions',
    'disputes',
  ],
  'frein:isolement': [
    'isolement',
    'isole',
    'seul',
    'seule',
    'il est seul',
    'elle est seule',
    'solitude',
    'sentiment d isolement',
  ],
  'frein:mise-en-oeuvre': [
    'mise en oeuvre',
    'mise en place',
    'operationnel',
    'concretement',
    'inquietude',
    'qui va le faire',
    'realisation',
    'terrain',
  ],
  'frein:budget': [
    'budget',
    'cout',
    'argent',
    'financement',
    'pas de budget',
    'trop cher',
    'moyens',
    'pas d argent',
    'subventions',
  ],
  'territoire:rural': ['rural', 'rurale', 'ruralite', 'zrr', 'campagne', 'village', 'territoire rural'],
  'territoire:qpv': ['qpv', 'quartier', 'quartiers', 'quartiers prioritaires', 'politique de la ville'],
  'territoire:environnement': [
    'environnement',
    'ecologie',
    'transition ecologique',
    'numerique responsable',
    'climat',
    'durable',
    'environnementale',
  ],
  'territoire:donnees': [
    'donnees',
    'data',
    'cybersecurite',
    'cyber',
    'ia',
    'intelligence artificielle',
    'securite',
  ],
  'echelon:commune': ['commune', 'mairie', 'maire', 'municipal', 'conseil municipal', 'ville', 'ccas'],
  'echelon:intercommunalite': [
    'intercommunalite',
    'interco',
    'epci',
    'communaute de communes',
    'agglo',
    'agglomeration',
    'metropole',
    'conseil communautaire',
    'comcom',
    'cdc',
  ],
  'echelon:departement': ['departement', 'conseil departemental', 'departemental', 'cd', 'le departement'],
  'echelon:region': ['region', 'conseil regional', 'regional', 'la region'],
};

/** The choices of one step of the guided path, in the order of the card, "passer" last. */
export function stepOptions(ref: ElusReferential, step: ProfileStep): ChoiceOption<string>[] {
  const data = ref.data;
  const items: { id: string; label: string; button?: string }[] =
    step === 'situation'
      ? data.situations
      : step === 'frein'
        ? data.freins
        : step === 'territoire'
          ? data.territoires
          : data.echelons.filter((e) => e.id !== 'etat');
  return [
    ...items.map((item) => ({
      value: item.id,
      label: item.label,
      ...(item.button ? { button: item.button } : {}),
      synonyms: synonyms[`${step}:${item.id}`] ?? [],
    })),
    skipOption,
  ];
}

/** What can be done once the argumentaire is shown. */
export type ArgumentaireAction = 'next' | 'copy' | 'restart';

export const argumentaireOptions: ChoiceOption<ArgumentaireAction>[] = [
  {
    value: 'next',
    label: 'Un autre argument',
    synonyms: [
      'autre argument',
      'un autre',
      'autre',
      'encore',
      'un de plus',
      'argument suivant',
      'la suite',
      'plus d arguments',
      'd autres arguments',
      'autre chose',
      'suivant',
    ],
  },
  {
    value: 'copy',
    label: 'Version à copier',
    synonyms: [
      'copier',
      'version a copier',
      'a copier',
      'copie',
      'texte',
      'version texte',
      'mail',
      'email',
      'e mail',
      'courriel',
      'version courte',
      'texte a copier',
      'pour un mail',
    ],
  },
  {
    value: 'restart',
    label: 'Modifier mes réponses',
    synonyms: [
      'modifier',
      'changer',
      'recommencer',
      'modifier mes reponses',
      'changer mes reponses',
      'refaire',
      'corriger mes reponses',
    ],
  },
];
