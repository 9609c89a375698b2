import { describe, expect, it } from 'vitest';
import { disagreements } from '../../src/domain/history/consensus.js';
import type { DiagnosticService } from '../../src/domain/diagnostics/service.js';
import { issueJoinCode, joinCollectivite } from '../../src/domain/collectivite/joinCode.js';
import { answeredDiagnostic, createCollectivite, referentials, setup } from '../reports/fixtures.js';

/** A collectivité of `owner` that `colleagues` joined with its code. */
async function collectiviteWith(service: DiagnosticService, owner: string, colleagues: string[]) {
  const collectivite = await createCollectivite(service, owner);
  const code = await issueJoinCode(service.store, collectivite.id);
  for (const colleague of colleagues) await joinCollectivite(service.store, code, colleague);
  return collectivite.id;
}

describe('les désaccords entre répondants', () => {
  it('listent exactement les indicateurs où les dernières réponses diffèrent', async () => {
    const { service } = setup();
    const collectiviteId = await collectiviteWith(service, 'aad-alice', ['aad-bruno', 'aad-chloe']);
    const first = await answeredDiagnostic(service, {
      respondentId: 'aad-alice',
      collectiviteId,
      finish: false,
    });
    await service.answer(first.id, 'aad-bruno', 1, 'oui');
    await service.answer(first.id, 'aad-bruno', 7, 'non');
    await service.answer(first.id, 'aad-bruno', 10, 'non');
    await service.answer(first.id, 'aad-bruno', 16, 'nsp');
    await service.answer(first.id, 'aad-bruno', 22, 'oui');
    await service.answer(first.id, 'aad-chloe', 7, 'en_partie');
    await service.answer(first.id, 'aad-chloe', 1, 'non');
    await service.answer(first.id, 'aad-chloe', 1, 'oui'); // changed her mind: only the latest counts
    const diagnostic = (await service.diagnostic(first.id))!;

    const list = disagreements(referentials, diagnostic);
    expect(list.map((d) => d.indicator)).toEqual([7, 16]);

    const [seven, sixteen] = list;
    expect(seven).toMatchObject({
      enjeuNumber: 1,
      prerequisId: 'E1P2',
      prerequisNumber: 2,
      retained: 'en_partie',
    });
    expect(seven!.answers).toEqual([
      { respondent: 'Répondant 1', value: 'en_partie', label: 'En partie' },
      { respondent: 'Répondant 2', value: 'non', label: 'Non' },
      { respondent: 'Répondant 3', value: 'en_partie', label: 'En partie' },
    ]);
    expect(seven!.counts).toEqual([
      { value: 'en_partie', label: 'En partie', count: 2 },
      { value: 'non', label: 'Non', count: 1 },
    ]);
    expect(sixteen!.counts.map((c) => [c.label, c.count])).toEqual([
      ['Oui', 1],
      ['Je ne sais pas', 1],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/aad-/);
  });

  it('sont vides quand une seule personne a répondu ou que tous sont d’accord', async () => {
    const { service } = setup();
    const collectiviteId = await collectiviteWith(service, 'teams-user-aad-0001', ['other']);
    const d = await answeredDiagnostic(service, { collectiviteId, finish: false });
    expect(disagreements(referentials, d)).toEqual([]);
    await service.answer(d.id, 'other', 1, 'oui');
    expect(disagreements(referentials, (await service.diagnostic(d.id))!)).toEqual([]);
  });
});
