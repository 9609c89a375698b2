import { MemoryStorage } from 'botbuilder';
import { DiagnosticService } from '../../src/domain/diagnostics/service.js';
import type { Collectivite } from '../../src/domain/collectivite/collectivite.js';
import type { Diagnostic } from '../../src/domain/records/diagnostic.js';
import { loadReferentials, type Referentials } from '../../src/domain/referential/load.js';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';
import { indicatorsInScope, type Scope } from '../../src/domain/scoring/scope.js';
import { referentialDir } from '../../src/paths.js';
import { StorageRecordStore } from '../../src/storage/storageRecordStore.js';

export const referentials: Referentials = loadReferentials(referentialDir);

/** A service over MemoryStorage with a clock the test moves. */
export function setup(start = '2024-03-12T09:00:00.000Z') {
  const store = new StorageRecordStore(new MemoryStorage());
  const clock = { now: start };
  const service = new DiagnosticService(store, () => clock.now);
  return { store, service, clock };
}

/** Oui, En partie, Non… in turn: a middling, varied result. */
export const quickAnswers: AnswerValue[] = [
  'oui',
  'en_partie',
  'non',
  'oui',
  'oui',
  'en_partie',
  'nsp',
  'non',
  'oui',
  'oui',
  'en_partie',
  'oui',
  'non',
];

export async function createCollectivite(
  service: DiagnosticService,
  respondentId: string,
  name = 'Communauté de communes Cœur de Savoie',
  tenantId?: string,
): Promise<Collectivite> {
  return service.createCollectivite(respondentId, {
    name,
    type: 'intercommunalite',
    traits: ['rural'],
    ...(tenantId ? { tenantId } : {}),
  });
}

/** Answers every indicator of `scope` with `values` in turn (cycled), then finishes the diagnostic. */
export async function answeredDiagnostic(
  service: DiagnosticService,
  options: {
    respondentId?: string;
    collectiviteId?: string;
    scope?: Scope;
    values?: AnswerValue[];
    quantities?: Record<number, Record<string, number>>;
    finish?: boolean;
  } = {},
): Promise<Diagnostic> {
  const respondentId = options.respondentId ?? 'teams-user-aad-0001';
  const scope = options.scope ?? { kind: 'quick' };
  const values = options.values ?? quickAnswers;
  let diagnostic = await service.startDiagnostic(respondentId, scope, options.collectiviteId);
  const list = indicatorsInScope(referentials.maturity, scope);
  for (const [i, ref] of list.entries()) {
    const n = ref.indicateur.number;
    diagnostic = await service.answer(
      diagnostic.id,
      respondentId,
      n,
      values[i % values.length]!,
      options.quantities?.[n],
    );
  }
  return options.finish === false ? diagnostic : service.finish(diagnostic.id);
}

/** Width and height from the IHDR chunk, read by hand. */
export function ihdr(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export const pngMagic = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
