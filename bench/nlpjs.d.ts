// Types of the nlp.js parts used only by bench/elusClassifiers.ts (the packages ship none).
declare module '@nlpjs/core' {
  export function containerBootstrap(): Promise<{ use(plugin: unknown): void }>;
}
declare module '@nlpjs/nlu' {
  export class NluNeural {
    constructor(settings: { container: unknown; locale: string; log?: boolean });
    train(corpus: { utterance: string; intent: string }[]): Promise<unknown>;
    process(utterance: string): Promise<unknown>;
  }
}
