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
  /** The French language plugin for an nlp.js container. */
  export const LangFr: unknown;
  const langFr: { StemmerFr: typeof StemmerFr; StopwordsFr: typeof StopwordsFr; LangFr: unknown };
  export default langFr;
}
