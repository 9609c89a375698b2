import { loadJsonFile } from '../referential/load.js';
import {
  elusSchema,
  type Echelon,
  type ElusData,
  type Frein,
  type Project,
  type Situation,
  type Territoire,
  type Topic,
} from './schema.js';

export const elusFile = 'elus.json';

/** The arguments referential of the guide, with its look-ups. */
export class ElusReferential {
  private readonly topicById: Map<string, Topic>;

  constructor(readonly data: ElusData) {
    this.topicById = new Map(data.topics.map((t) => [t.id, t]));
  }

  get topics(): readonly Topic[] {
    return this.data.topics;
  }

  topic(id: string): Topic | undefined {
    return this.topicById.get(id);
  }

  situation(id: string | undefined): Situation | undefined {
    return this.data.situations.find((s) => s.id === id);
  }

  frein(id: string | undefined): Frein | undefined {
    return this.data.freins.find((f) => f.id === id);
  }

  territoire(id: string | undefined): Territoire | undefined {
    return this.data.territoires.find((t) => t.id === id);
  }

  echelon(id: string | undefined): Echelon | undefined {
    return this.data.echelons.find((e) => e.id === id);
  }

  project(id: string): Project | undefined {
    return this.data.projects.find((p) => p.id === id);
  }

  /** The topic that answers a frein in free questions. */
  freinTopic(frein: Frein): string {
    return frein.topic ?? `frein:${frein.id}`;
  }
}

/** Loads and validates referential/elus.json; a bad edit throws a `ReferentialError` naming the file and the path. */
export function loadElusReferential(dir: string): ElusReferential {
  return new ElusReferential(loadJsonFile(dir, elusFile, elusSchema));
}
