import { describe, expect, it } from 'vitest';
import { argumentaireCard } from '../../cards/argumentaireCard.js';
import { answersOf } from '../../src/domain/assessment/assessment.js';
import { profileFromCollectivite, type ElusProfile } from '../../src/domain/elus/profile.js';
import { indicatorsInScope } from '../../src/domain/scoring/scope.js';
import { computeMaturity } from '../../src/domain/scoring/scoring.js';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';
import { referentials } from '../helpers/testBot.js';
import { assistant, referential } from './helpers.js';

const { maturity } = referentials;
const situations = referential.data.situations.map((s) => s.id);
const freins = referential.data.freins.map((f) => f.id);

/** A quick self-check's result where the given prérequis are answered "non" and everything else "oui". */
function quickResult(weak: string[]) {
  const answers = indicatorsInScope(maturity, { kind: 'quick' }).map((ref) => ({
    indicator: ref.indicateur.number,
    value: (weak.includes(ref.prerequis.id) ? 'non' : 'oui') as AnswerValue,
  }));
  return computeMaturity(
    maturity,
    { kind: 'quick' },
    answersOf({ answers: Object.fromEntries(answers.map((a) => [a.indicator, a])) } as never),
  );
}

describe('Règle : chaque situation et chaque frein donnent leur argumentaire', () => {
  it('les 3 situations × les freins donnent des argumentaires non vides et tous différents', () => {
    const seen = new Map<string, string>();
    for (const situation of situations) {
      for (const frein of freins) {
        const arg = assistant.argumentaire({ situation, frein });
        expect(arg.actions).toHaveLength(3);
        expect(arg.figures).toHaveLength(2);
        expect(arg.project).toBeDefined();
        expect(arg.frein?.actions.length).toBeGreaterThan(0);
        expect(arg.relays.length).toBeGreaterThan(0);
        expect(arg.resources.length).toBeGreaterThan(0);
        const key = JSON.stringify(arg);
        expect(seen.get(key), `${situation} × ${frein}`).toBeUndefined();
        seen.set(key, `${situation} × ${frein}`);
      }
    }
    expect(seen.size).toBe(situations.length * freins.length);
  });

  it('tout passé, l’argumentaire reste utile (angle général, actions, chiffres)', () => {
    const arg = assistant.argumentaire({});
    expect(arg.actions).toHaveLength(3);
    expect(arg.figures).toHaveLength(2);
    expect(arg.angle.text.length).toBeGreaterThan(20);
  });

  it('le territoire donne l’angle, le service à solliciter et un exemple de ce territoire', () => {
    const arg = assistant.argumentaire({ situation: 'non-investis', territoire: 'qpv', echelon: 'commune' });
    expect(arg.angle.text).toContain('inégalités sociales');
    expect(arg.relays.join(' ')).toContain('cohésion sociale');
    expect(['Brest', 'Bordeaux', 'Rennes'].some((city) => arg.project!.title.includes(city))).toBe(true);
    expect(arg.echelon?.text).toContain('maire');
  });

  it('chaque chiffre clé montré porte sa source (et son année quand elle est connue)', () => {
    const arg = assistant.argumentaire({ situation: 'convaincus', frein: 'budget', territoire: 'rural' });
    for (const figure of arg.figures) expect(figure.source.length).toBeGreaterThan(10);
    expect(arg.figures.map((f) => f.value)).toContain("1,6 milliards d'euros par an");
    expect(arg.figures.find((f) => f.value.startsWith('1,6'))!.source).toContain(
      "France Stratégie, « Les bénéfices d'une meilleure autonomie numérique », 2018",
    );
  });

  it('« un autre argument » donne le suivant, différent, puis revient au premier après le dernier', () => {
    const profile: ElusProfile = { situation: 'non-investis', frein: 'temps', territoire: 'rural' };
    const first = assistant.argumentaire(profile, 0);
    const second = assistant.argumentaire(profile, 1);
    expect(second.actions).not.toEqual(first.actions);
    expect(second.figures).not.toEqual(first.figures);
    expect(second.title).toContain('argument 2');
    expect(assistant.argumentaire(profile, first.variants)).toEqual(first);
    const third = assistant.argumentaire(profile, 2);
    expect(third.actions).not.toEqual(second.actions);
  });
});

describe('Règle : avec un diagnostic, les arguments s’appuient sur ses enjeux les plus faibles', () => {
  it('un portage politique faible (enjeu 1) met en avant l’importance du portage', () => {
    const weakPoints = assistant.weakPoints(quickResult(['E1P1', 'E1P2', 'E1P3']));
    expect(weakPoints[0]!.for).toBe('E1');
    expect(weakPoints[0]!.link.topic).toBe('portage');
    const arg = assistant.argumentaire({ situation: 'non-investis', weakPoints });
    expect(arg.diagnostic?.weakPoint).toContain('Enjeu 1 — Porter politiquement');
    expect(arg.diagnostic?.points.join(' ')).toContain('Donner de la légitimité au projet');
  });

  it('pas de budget dédié (prérequis 2.2) met en avant les sources de cofinancement', () => {
    const weakPoints = assistant.weakPoints(quickResult(['E2P2']));
    expect(weakPoints[0]!.for).toBe('E2P2');
    const arg = assistant.argumentaire({ weakPoints });
    expect(arg.diagnostic?.points.join(' ')).toContain('Aides territoires');
    expect(arg.diagnostic?.points.join(' ')).toContain('Guide de cofinancement');
    // the version for the élu says it in words, without the referential's numbering nor a score
    const copy = assistant.copyText({ weakPoints });
    expect(copy).toContain(`montre un point à renforcer : ${weakPoints[0]!.words}.`);
    expect(weakPoints[0]!.words).toMatch(/^[a-zà-ÿ]/);
    expect(copy).not.toContain('Prérequis 2.2');
    expect(copy).not.toMatch(/ : \d+ %/);
  });

  it('un diagnostic sans point faible ne change rien', () => {
    expect(assistant.weakPoints(quickResult([]))).toEqual([]);
  });

  it('la collectivité donne l’échelon et le territoire', () => {
    expect(profileFromCollectivite({ type: 'intercommunalite', traits: ['qpv', 'rural'] })).toEqual({
      echelon: 'intercommunalite',
      territoire: 'qpv',
    });
    expect(profileFromCollectivite({ type: 'autre', traits: [] })).toEqual({});
  });
});

describe('Règle : la version à copier est courte, en texte brut, et cite ses sources', () => {
  it('pour chaque situation × frein', () => {
    for (const situation of situations) {
      for (const frein of freins) {
        const text = assistant.copyText({ situation, frein, territoire: 'rural', echelon: 'commune' });
        expect(text).toMatch(/^Objet : /);
        expect(text).toContain('Bonjour,');
        expect(text).toContain(referential.situation(situation)!.ask);
        expect(text).toContain(referential.frein(frein)!.pitch);
        expect(text).not.toMatch(/[*_#[\]]|\$\{/);
        expect(text.length).toBeLessThan(1600);
        const figureLines = text
          .split('\n')
          .filter((l) => l.startsWith('- ') && !l.startsWith('- Un exemple'));
        expect(figureLines).toHaveLength(2);
        for (const line of figureLines) expect(line).toMatch(/\(.{10,}\)$/);
      }
    }
  });
});

/** Every TextBlock of a card, in reading order (the parts opened by « Tout l'argumentaire » included). */
function cardTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(cardTexts);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = o.type === 'TextBlock' && typeof o.text === 'string' ? [o.text] : [];
  return [...own, ...Object.entries(o).flatMap(([k, v]) => (k === 'text' ? [] : cardTexts(v)))];
}

const year = /\b(19|20)\d{2}\b/;

describe('Règle : chaque chiffre clé montré dit de quand il date', () => {
  it('dans la carte et la version à copier, pour chaque situation × frein × argument', () => {
    const shown = new Set<string>();
    for (const situation of [undefined, ...situations]) {
      for (const frein of [undefined, ...freins]) {
        const profile: ElusProfile = { situation, frein };
        const { variants } = assistant.argumentaire(profile);
        for (let variant = 0; variant < variants; variant++) {
          const where = `${situation ?? '-'} × ${frein ?? '-'} × argument ${variant + 1}`;
          const arg = assistant.argumentaire(profile, variant);
          const texts = cardTexts(argumentaireCard(arg));
          const copy = assistant.copyText(profile, variant).split('\n');
          expect(arg.figures.length, where).toBeGreaterThan(0);
          arg.figures.forEach((figure, i) => {
            shown.add(figure.value);
            // The card's « Deux chiffres clés »: the value, its text, then « Source : … ».
            const at = texts.findIndex((t, j) => t === figure.value && texts[j + 1] === figure.text);
            expect(at, `${where} : ${figure.value} dans la carte`).toBeGreaterThanOrEqual(0);
            const source = texts[at + 2]!;
            expect(source, where).toMatch(/^Source : /);
            expect(source, `${where} : ${figure.value}`).toMatch(year);
            // The first figure, shown before « Tout l'argumentaire »: « text (source) ».
            if (i === 0) {
              const first = texts.find((t) => t.startsWith(`${figure.text} (`));
              expect(first?.slice(figure.text.length), `${where} : premier chiffre`).toMatch(year);
            }
            // The version à copier: « - text (source) ».
            const line = copy.find((l) => l.startsWith(`- ${figure.text} (`));
            expect(line?.slice(`- ${figure.text} `.length), `${where} : ${figure.value} à copier`).toMatch(
              year,
            );
          });
        }
      }
    }
    // Every figure of the referential is met, the three whose source gives no year among them.
    expect([...shown].sort()).toEqual(referential.data.figures.map((f) => f.value).sort());
  });

  it('un chiffre sans année dans sa source prend la date du document qui le cite', () => {
    const credoc = referential.data.figures.find((f) => f.source.startsWith('Enquête CREDOC'))!;
    expect(credoc.year).toBeNull();
    const arg = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
      .map((v) => assistant.argumentaire({}, v))
      .find((a) => a.figures.some((f) => f.value === credoc.value))!;
    expect(arg.figures.find((f) => f.value === credoc.value)!.source).toBe(
      "Enquête CREDOC / CREAC commandée par l'ANCT, d’après « France Numérique Ensemble : zoom sur les orientations nationales » (2023)",
    );
  });
});
