import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElusAssistant } from '../../src/domain/elus/assistant.js';
import { fold } from '../../src/domain/elus/analyzer.js';
import { projectRoot, referentialDir } from '../../src/paths.js';

/** Built once per test file, as the server does at start-up. */
export const assistant = ElusAssistant.load(referentialDir);
export const referential = assistant.referential;

/** The seed documents sit beside the clone (CI) or beside the project (here): `../shared/seeds`. */
export const seedsDir = join(projectRoot, '..', 'shared', 'seeds');
export const seedsPresent = existsSync(seedsDir);

export interface LabelledQuestion {
  text: string;
  topic: string;
}

/** The held-out questions: never used to build the index. */
export const heldOut: LabelledQuestion[] = JSON.parse(
  readFileSync(join(projectRoot, 'test', 'fixtures', 'elus-questions.json'), 'utf8'),
) as LabelledQuestion[];

/** How texts are compared for "the same phrasing": case, accents and punctuation do not count. */
export const sameText = (text: string) => fold(text);
