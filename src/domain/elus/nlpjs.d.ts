declare module '@nlpjs/lang-fr' {
  /** Snowball French stemmer of nlp.js (pure JS). Its word cache grows without bound: reset `cache` now and then. */
  export class StemmerFr {
    constructor(container?: unknown);
    cache: Record<string, string>;
    stemWord(word: string): string;
  }
  export class StopwordsFr {
    constructor(container?: unknown, words?: string[]);
    dictionary: Record<string, boolean>;
  }
  const langFr: { StemmerFr: typeof StemmerFr; StopwordsFr: typeof StopwordsFr };
  export default langFr;
}
