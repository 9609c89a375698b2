import langFr from '@nlpjs/lang-fr';
import { extraStopwords, phrases, words } from './lexicon.js';

/** Lower case, no accents, no punctuation, single spaces; "élu·e·s" and "l'élu" come apart into words. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9%]+/g, ' ')
    .trim();
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

const phraseList = Object.entries(phrases).sort(([a], [b]) => b.length - a.length);
const phrasePattern = new RegExp(
  `(?<= |^)(?:${phraseList.map(([p]) => p.replace(/ /g, ' +')).join('|')})(?= |$)`,
  'g',
);
const phraseMap = new Map(phraseList.map(([p, r]) => [p, r]));

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

/** French analysis for search: fold, expand SMS and abbreviations, drop stopwords, stem (nlp.js Snowball). */
export class FrenchAnalyzer {
  private readonly stemmer = new langFr.StemmerFr();
  private readonly stopwords: Set<string>;
  private readonly cache = new Map<string, string>();

  constructor() {
    const base = Object.keys(new langFr.StopwordsFr().dictionary).map(fold);
    this.stopwords = new Set([...base, ...extraStopwords]);
  }

  /** The folded text with the lexicon applied (SMS, abbreviations, slang → plain words). */
  rewrite(text: string): string {
    const tokens = fold(text)
      .split(' ')
      .map((t) => t.replace(/([a-z])\1{2,}/g, '$1'))
      .map((t) => words[t] ?? t)
      .join(' ')
      .replace(/ +/g, ' ')
      .trim();
    return tokens
      .replace(phrasePattern, (match) => phraseMap.get(match.replace(/ +/g, ' ')) ?? match)
      .replace(/ +/g, ' ')
      .trim();
  }

  analyze(text: string): Analysis {
    const kept = this.rewrite(text)
      .split(' ')
      .filter((w) => w.length > 0 && !this.stopwords.has(w));
    return { words: kept, stems: kept.map((w) => this.stem(w)), sounds: kept.map(soundKey) };
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
    const stem = /^\d/.test(word) ? word : this.stemmer.stemWord(word) || word;
    this.cache.set(word, stem);
    return stem;
  }
}
