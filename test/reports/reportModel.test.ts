import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../src/reports/reportModel.js';
import { renderReportJson } from '../../src/reports/csv.js';
import { answeredDiagnostic, createCollectivite, referentials, setup } from './fixtures.js';

const quantities = {
  22: { q22_budget_fonctionnement: 45000, q22_budget_investissement: 12500.5 },
  59: { q59_conseillers_numeriques: 3 },
};

async function quickReport() {
  const { service } = setup();
  const collectivite = await createCollectivite(service, 'teams-user-aad-0001');
  const diagnostic = await answeredDiagnostic(service, { collectiviteId: collectivite.id, quantities });
  return { diagnostic, collectivite, report: buildReportData(referentials, diagnostic, collectivite) };
}

describe('les données du rapport', () => {
  it('résument un diagnostic rapide terminé : niveau, scores, couverture, estimation', async () => {
    const { report } = await quickReport();
    expect(report.collectivite).toMatchObject({
      name: 'Communauté de communes Cœur de Savoie',
      typeLabel: 'Intercommunalité',
    });
    expect(report.collectivite?.traits).toEqual(['Territoire rural ou en ZRR']);
    expect(report.scopeLabel).toBe('Diagnostic rapide');
    expect(report.dateLabel).toBe('12 mars 2024');
    expect(report.finished).toBe(true);
    expect(report.respondentCount).toBe(1);
    expect(report.estimate).toBe(true);
    expect(report.level).toBe('Consolidation');
    expect(report.score).toBeCloseTo((50 + 250 / 3 + 50 + 62.5) / 4);
    expect(report.coverage).toEqual({ known: 12, total: 13, ratio: 12 / 13 });
    expect(report.enjeux.map((e) => e.score)).toEqual([50, expect.closeTo(83.33, 2), 50, 62.5]);
    expect(report.enjeux[1]!.subtitle).toBe('Des services administratifs impliqués et soutenus');
    expect(report.enjeux.flatMap((e) => e.prerequis)).toHaveLength(13);
    expect(report.cap).toBeNull();
  });

  it('donne les priorités avec leurs pistes et exemples, les points forts, le « à vérifier »', async () => {
    const { report } = await quickReport();
    expect(report.priorities.map((p) => p.id)).toEqual(['E1P3', 'E3P2', 'E4P4']);
    expect(report.priorities[0]!.pistes.length).toBeGreaterThan(0);
    expect(report.priorities[0]!.pistes.flatMap((p) => p.examples)).toContain('Grand Lyon');
    expect(report.strengths.map((p) => p.id)).toEqual(['E1P1', 'E2P1', 'E2P2']);
    expect(report.toVerify).toEqual([expect.objectContaining({ indicator: 35, prerequisId: 'E3P1' })]);
  });

  it('formate les montants à la française et garde les nombres', async () => {
    const { report } = await quickReport();
    const byId = Object.fromEntries(report.quantities.map((q) => [q.id, q]));
    expect(byId.q22_budget_fonctionnement?.formatted).toBe('45\u00a0000\u00a0€');
    expect(byId.q22_budget_investissement?.formatted).toBe('12\u00a0500,50\u00a0€');
    expect(byId.q59_conseillers_numeriques).toMatchObject({ value: 3, formatted: '3', unit: 'count' });
  });

  it('propose les étapes de la feuille de route qui commencent au niveau atteint', async () => {
    const { report } = await quickReport();
    expect(report.nextSteps.level).toBe('Consolidation');
    expect(report.nextSteps.steps.map((s) => s.number)).toEqual(
      referentials.roadmap.byLevel.Consolidation.startAt,
    );
    expect(report.nextSteps.advice).toBe(referentials.roadmap.byLevel.Consolidation.advice);
  });

  it('cite ses sources et sa licence', async () => {
    const { report } = await quickReport();
    expect(report.sources.maturity).toMatchObject({
      publisher: 'La Mednum',
      license: 'CC BY-SA 4.0',
      date: '2023-12',
    });
    expect(report.sources.maturity.attribution).toContain('CC BY-SA 4.0');
    expect(report.sources.roadmap.title).toBe(referentials.roadmap.source.title);
  });

  it('laisse une place aux arguments pour les élus, absente tant qu’il n’y en a pas', async () => {
    const { diagnostic, collectivite, report } = await quickReport();
    expect(report.arguments).toBeUndefined();
    const args = [
      {
        title: 'Un enjeu de cohésion',
        text: '13 millions de Français…',
        source: 'Baromètre du numérique 2023',
      },
    ];
    expect(
      buildReportData(referentials, diagnostic, collectivite, undefined, { arguments: args }).arguments,
    ).toEqual(args);
  });

  it('ne contient aucun identifiant de répondant, même dans le JSON des réponses', async () => {
    const { diagnostic, report } = await quickReport();
    const json = renderReportJson(report, referentials, diagnostic);
    expect(json).not.toContain('teams-user-aad-0001');
    const parsed = JSON.parse(json) as {
      level: string;
      answers: { respondent: string; indicator: number }[];
    };
    expect(parsed.level).toBe('Consolidation');
    expect(parsed.answers).toHaveLength(13);
    expect(parsed.answers[0]).toMatchObject({ indicator: 1, respondent: 'Répondant 1', label: 'Oui' });
  });

  it('donne un rapport lisible pour un diagnostic rapide anonyme', async () => {
    const { service } = setup();
    const diagnostic = await answeredDiagnostic(service);
    const report = buildReportData(referentials, diagnostic);
    expect(report.collectivite).toBeNull();
    expect(report.level).toBe('Consolidation');
  });
});
