import { z } from 'zod';
import { loadJsonFile } from '../referential/load.js';
import { fold } from './fold.js';

/**
 * How people actually type about their élus, as data an editor extends: `referential/elus-lexicon.json`
 * (SMS spellings, abbreviations of the collectivités' world, stop words, cue lists), validated here at start-up.
 */
export const lexiconFile = 'elus-lexicon.json';

const entry = z.string().trim().min(1);

/** What is typed, as the analyzer reads it: lower case, no accents, no punctuation; one word or several. */
function foldedProblem(key: string, words: 'one' | 'several'): string | undefined {
  if (fold(key) !== key)
    return `« ${key} » : écrire en minuscules, sans accents ni ponctuation (« ${fold(key)} »)`;
  if (words === 'one' && key.includes(' '))
    return `« ${key} » : un seul mot ici ; les expressions vont dans « phrases »`;
  if (words === 'several' && !key.includes(' ')) return `« ${key} » : un seul mot, à mettre dans « words »`;
  return undefined;
}

/** Typed words → plain words, each key checked by `foldedProblem`. */
const typedMap = (words: 'one' | 'several') =>
  z.record(z.string(), z.string()).superRefine((map, ctx) => {
    for (const key of Object.keys(map)) {
      const message = foldedProblem(key, words);
      if (message) ctx.addIssue({ code: 'custom', path: [key], message });
    }
  });

const stopword = entry.superRefine((word, ctx) => {
  const message = foldedProblem(word, 'one');
  if (message) ctx.addIssue({ code: 'custom', message });
});

export const lexiconSchema = z
  .object({
    description: entry,
    /** One typed word → plain words ("" drops it), in named groups (sms, acteurs, sujet…). */
    words: z.record(z.string(), typedMap('one')),
    /** Several typed words → plain words, matched on whole words, longest first. */
    phrases: typedMap('several'),
    /** Words that carry no topic, added to nlp.js's French stop words. */
    stopwords: z.array(stopword),
    /** Words saying a question is about élus or this guide (compared after folding and stemming). */
    elusCues: z.array(entry),
    /** Who the question is about (maire, interco…): context more than topic. */
    actorWords: z.array(entry),
    /** What people say around their question (greetings, who they are): learnt as a background class. */
    contextSentences: z.array(entry).min(1),
    /**
     * Places people name in passing (« en Guadeloupe », « dans un petit village »): added to the phrasings of the
     * other topics, so that naming a territory does not by itself make a question about that territory.
     */
    territoryMentions: z.array(entry).min(1),
    /**
     * Words that say which échelon or territory a message speaks of (« syndicat mixte », « village »), by id of
     * `echelons` and `territoires` in elus.json: used to tailor an answer and pre-fill the guided path.
     */
    mentions: z.object({
      echelon: z.record(z.string(), z.array(entry)),
      territoire: z.record(z.string(), z.array(entry)),
    }),
    /** Things people type that are not about élus or this guide (weather, IT help, a citizen's procedure). */
    offTopicSentences: z.array(entry).min(1),
    /** Asking for arguments as such (« comment convaincre mon maire ? »). */
    argumentWords: z.array(entry).min(1),
    /** Words that may come with such a request without changing it. */
    argumentFillers: z.array(entry),
  })
  .strict();

/** The lexicon as the analyzer uses it: the file's lists, with `words` (all groups) and `phrases` as maps. */
export type Lexicon = Omit<z.infer<typeof lexiconSchema>, 'description' | 'words' | 'phrases'> & {
  words: ReadonlyMap<string, string>;
  phrases: ReadonlyMap<string, string>;
};

/** Loads and validates referential/elus-lexicon.json; a bad edit throws a `ReferentialError` naming the entry. */
export function loadLexicon(dir: string): Lexicon {
  const data = loadJsonFile(dir, lexiconFile, lexiconSchema);
  const words = new Map<string, string>();
  for (const group of Object.values(data.words)) for (const [k, v] of Object.entries(group)) words.set(k, v);
  return {
    ...data,
    words,
    phrases: new Map(Object.entries(data.phrases)),
  };
}
