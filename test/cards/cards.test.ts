import { describe, expect, it } from 'vitest';
import { choiceCard } from '../../cards/choiceCard.js';
import { menuCard } from '../../cards/menuCard.js';
import { quantityCard } from '../../cards/quantityCard.js';
import { questionCard } from '../../cards/questionCard.js';
import { resultsCard } from '../../cards/resultsCard.js';
import { plain } from '../../cards/template.js';
import { traitsCard } from '../../cards/traitsCard.js';
import { answerValues, type AnswerValue } from '../../src/domain/scoring/answers.js';
import { indicatorsInScope, type Scope } from '../../src/domain/scoring/scope.js';
import { computeMaturity } from '../../src/domain/scoring/scoring.js';
import { cardProblems } from '../helpers/cards.js';
import { referentials } from '../helpers/testBot.js';

const { maturity, roadmap } = referentials;

describe('Règle : chaque carte est une Adaptive Card 1.5 valide pour Teams, avec Action.Submit seulement', () => {
  it('le menu (accueil, retour au menu, diagnostic en cours)', () => {
    expect(cardProblems(menuCard({ welcome: true }))).toEqual([]);
    expect(cardProblems(menuCard({ welcome: false, resume: 'Vous avez un diagnostic en cours.' }))).toEqual(
      [],
    );
  });

  it('chaque question des diagnostics rapide, complet et par enjeu, avec ou sans réponse actuelle', () => {
    const scopes: Scope[] = [{ kind: 'quick' }, { kind: 'full' }, { kind: 'enjeu', enjeuId: 'E3' }];
    for (const scope of scopes) {
      const list = indicatorsInScope(maturity, scope);
      list.forEach((ref, i) => {
        for (const current of [undefined, answerValues[i % 4]]) {
          const card = questionCard({
            ref,
            scope,
            index: i + 1,
            total: list.length,
            opensPrerequis: i === 0 || list[i - 1]!.prerequis.id !== ref.prerequis.id,
            opensEnjeu: i === 0 || list[i - 1]!.enjeu.id !== ref.enjeu.id,
            ...(current ? { current } : {}),
          });
          expect(cardProblems(card), `${scope.kind} ${ref.indicateur.number}`).toEqual([]);
        }
      });
    }
  });

  it('chaque demande de quantité, les choix et les caractéristiques du territoire', () => {
    for (const ref of maturity.indicators) {
      ref.indicateur.quantities.forEach((quantity, i) => {
        const card = quantityCard({
          ref,
          quantity,
          index: i + 1,
          count: ref.indicateur.quantities.length,
          current: 12,
        });
        expect(cardProblems(card), quantity.id).toEqual([]);
      });
    }
    const choice = choiceCard({
      field: 'type',
      question: 'Quel type ?',
      choices: [{ title: 'Commune', value: 'commune' }],
    });
    expect(cardProblems(choice)).toEqual([]);
    expect(cardProblems(traitsCard('Étape'))).toEqual([]);
  });

  it('les résultats : rapide, complet détaillé avec plafond, « à vérifier », graphique et liens', () => {
    const full = indicatorsInScope(maturity, { kind: 'full' });
    const e4 = new Set(maturity.enjeux[3]!.prerequis.flatMap((p) => p.indicators.map((i) => i.number)));
    const answers = full.map((r, i) => ({
      indicator: r.indicateur.number,
      value: (e4.has(r.indicateur.number) ? 'non' : i % 9 === 0 ? 'nsp' : 'oui') as AnswerValue,
    }));
    const result = computeMaturity(maturity, { kind: 'full' }, answers);
    expect(result.cap).not.toBeNull();
    const card = resultsCard({
      result,
      maturity,
      roadmap,
      scopeLabel: 'Diagnostic complet',
      collectiviteName: 'Ville de Test',
      date: '22 novembre 2026',
      detailed: true,
      chart: { url: 'https://assistant.example.fr/rapports/abc/graphique.png', alt: 'Graphique des scores' },
      links: [{ label: 'Rapport', url: 'https://assistant.example.fr/rapports/abc' }],
    });
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('plafonné');
    expect(json).toContain('À vérifier');
    const quick = computeMaturity(
      maturity,
      { kind: 'quick' },
      maturity.keyIndicators.map((r) => ({ indicator: r.indicateur.number, value: 'en_partie' as const })),
    );
    const quickCard = resultsCard({
      result: quick,
      maturity,
      roadmap,
      scopeLabel: 'Diagnostic rapide',
      date: 'aujourd’hui',
      detailed: false,
    });
    expect(cardProblems(quickCard)).toEqual([]);
    expect(JSON.stringify(quickCard)).toContain('Estimation');
  });
});

describe('Règle : le texte saisi par les personnes reste du texte dans les cartes', () => {
  it('ni lien, ni image, ni emphase Markdown ne sortent d’un nom de collectivité', () => {
    const name = plain('[clic](http://x.example) ![img](http://x.example/a.png) **gras** <b>x</b> # titre');
    expect(name).not.toMatch(/\[|\]|\*|<|>|#|!\(/);
    expect(name).toContain('clic');
  });
});
