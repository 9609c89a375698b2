import langFr from '@nlpjs/lang-fr';
import { fold } from './fold.js';
import type { Lexicon } from './lexicon.js';

export { fold };

/** A message or sentence that asks something (« ? », « comment », « que faire »…), rather than states a situation. */
export function asksSomething(text: string): boolean {
  return (
    text.includes('?') ||
    /\b(?:comment|pourquoi|quoi|quel|quelle|quels|quelles|que faire|est ce|je fais|on fait|conseils?|aide[rz]?|aide moi)\b/.test(
      fold(text),
    )
  );
}

/**
 * A rough French sound key, so that SMS spellings meet the words they stand for ("tant" and "temps", "pa" and
 * "pas", "kestion" and "question"). Used as a second, lighter field of the index.
 */
export function soundKey(word: string): string {
  let w = word
    .replace(/ph/g, 'f')
    .replace(/qu/g, 'k')
    .replace(/gu(?=[eiy])/g, 'g')
    .replace(/g(?=[eiy])/g, 'j')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/ch|sh/g, 'S')
    .replace(/[cq]/g, 'k')
    .replace(/h/g, '')
    .replace(/y/g, 'i')
    .replace(/w/g, 'v')
    .replace(/eau|au/g, 'o')
    .replace(/ai|ei/g, 'e')
    .replace(/ou/g, 'U')
    .replace(/oi/g, 'Va')
    .replace(/(?<=[aeiouU])s(?=[aeiouU])/g, 'z')
    .replace(/(?:an|am|en|em)(?![aeiouUnm])/g, 'A')
    .replace(/(?:in|im|un|um)(?![aeiouUnm])/g, 'I')
    .replace(/(?:on|om)(?![aeiouUnm])/g, 'O')
    .replace(/([a-zA-Z])\1+/g, '$1');
  for (let i = 0; i < 3; i++) w = w.replace(/(?:e|s|t|d|x|z|p)$/, '');
  return w.length > 0 ? w : word;
}

/** What a text says, as the index sees it: stemmed words and their sound keys. */
export interface Analysis {
  /** Folded words after the lexicon, stopwords removed (before stemming). */
  words: string[];
  /** Their Snowball stems. */
  stems: string[];
  /** Their sound keys. */
  sounds: string[];
}

const maxCache = 20_000;

/** Nouns and adjectives ending in -ent (not verbs in the 3rd person plural). */
const entWords = new Set(
  'agent agents argent president presidents presidente parent parents client clients different differente urgent urgente souvent absent accident talent recent recente evident excellent intelligent intelligente patient equivalent permanent permanente pertinent pertinente prudent adolescent adolescents competent competente transparent coherent coherente indifferent latent frequent precedent precedente consent content contente continent serpent torrent silence'.split(
    ' ',
  ),
);

/**
 * Snowball leaves the 3rd person plural alone ("portent", "impliquent"): read it as the infinitive so that
 * "les élus portent le projet" meets "porter le projet".
 */
function verbOf(word: string): string {
  return word.length >= 6 && word.endsWith('ent') && !word.endsWith('ment') && !entWords.has(word)
    ? `${word.slice(0, -3)}er`
    : word;
}

/** French analysis for search: fold, expand SMS and abbreviations, drop stopwords, stem (nlp.js Snowball). */
export class FrenchAnalyzer {
  private readonly stemmer = new langFr.StemmerFr();
  private readonly stopwords: Set<string>;
  private readonly cache = new Map<string, string>();
  private readonly known = new Set<string>();
  private readonly byLength = new Map<number, string[]>();
  private readonly corrections = new Map<string, string>();
  private readonly phrasePattern: RegExp;

  constructor(private readonly lexicon: Lexicon) {
    const base = Object.keys(new langFr.StopwordsFr().dictionary).map(fold);
    this.stopwords = new Set([...base, ...lexicon.stopwords]);
    const phrases = [...lexicon.phrases.keys()].sort((a, b) => b.length - a.length);
    this.phrasePattern = new RegExp(
      `(?<= |^)(?:${phrases.map((p) => p.replace(/ /g, ' +')).join('|')})(?= |$)`,
      'g',
    );
  }

  /** The folded text with the lexicon applied (SMS, abbreviations, slang → plain words). */
  rewrite(text: string): string {
    const tokens = fold(text)
      .split(' ')
      .map((t) => t.replace(/([a-z])\1{2,}/g, '$1'))
      .map((t) => this.lexicon.words.get(t) ?? t)
      .join(' ')
      .replace(/ +/g, ' ')
      .trim();
    return tokens
      .replace(this.phrasePattern, (match) => this.lexicon.phrases.get(match.replace(/ +/g, ' ')) ?? match)
      .replace(/ +/g, ' ')
      .trim();
  }

  analyze(text: string): Analysis {
    const kept = this.rewrite(text)
      .split(' ')
      .filter((w) => w.length > 0 && !this.stopwords.has(w))
      .map((w) => this.correct(w));
    return { words: kept, stems: kept.map((w) => this.stem(w)), sounds: kept.map(soundKey) };
  }

  /**
   * The words the index knows: from then on a word it does not know is read as the known word one slip away
   * (two for long words) — "subvension" as "subvention", "finacement" as "financement" — when there is one.
   */
  learnWords(words: Iterable<string>): void {
    for (const word of words) {
      if (this.known.has(word)) continue;
      this.known.add(word);
      const bucket = this.byLength.get(word.length) ?? [];
      bucket.push(word);
      this.byLength.set(word.length, bucket);
    }
    this.corrections.clear();
  }

  private correct(word: string): string {
    if (this.known.size === 0 || word.length < 6 || this.known.has(word) || /\d/.test(word)) return word;
    const cached = this.corrections.get(word);
    if (cached !== undefined) return cached;
    // A short word one letter away is often another word ("coupé" is not "coûté"): only when it sounds the same.
    const max = word.length >= 9 ? 2 : 1;
    const sound = soundKey(word);
    let best = word;
    let bestDistance = max + 1;
    for (let length = word.length - max; length <= word.length + max; length++) {
      for (const candidate of this.byLength.get(length) ?? []) {
        if (candidate[0] !== word[0] && candidate[1] !== word[1]) continue;
        const distance = damerau(word, candidate, bestDistance - 1);
        if (distance < bestDistance && (word.length >= 7 || soundKey(candidate) === sound)) {
          best = candidate;
          bestDistance = distance;
        }
      }
    }
    if (this.corrections.size >= maxCache) this.corrections.clear();
    this.corrections.set(word, best);
    return best;
  }

  isStopword(word: string): boolean {
    return this.stopwords.has(word);
  }

  stem(word: string): string {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    if (this.cache.size >= maxCache) {
      this.cache.clear();
      this.stemmer.cache = {};
    }
    const stem = /^\d/.test(word) ? word : this.stemmer.stemWord(verbOf(word)) || word;
    this.cache.set(word, stem);
    return stem;
  }
}

/**
 * Optimal string alignment distance (Levenshtein with swaps of two neighbours). Gives up above `max`, returning
 * `max + 1`, so that scanning a vocabulary stays fast.
 */
export function damerau(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, before[j - 2]! + 1);
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
}
