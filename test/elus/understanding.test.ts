import { describe, expect, it } from 'vitest';
import { argumentaireAnswerCard } from '../../cards/argumentaireAnswerCard.js';
import { argumentaireSuggestionsCard } from '../../cards/argumentaireSuggestionsCard.js';
import { assistant, heldOut, referential, sameText } from './helpers.js';

describe('Règle : les questions tenues à l’écart ne servent jamais à construire l’index', () => {
  it('le jeu compte au moins 80 questions, chacune étiquetée par un sujet du référentiel', () => {
    expect(heldOut.length).toBeGreaterThanOrEqual(80);
    for (const q of heldOut) expect(referential.topic(q.topic), q.topic).toBeDefined();
  });

  it('aucune question tenue à l’écart n’est une formulation, un mot-clé ou un titre du référentiel', () => {
    const indexed = new Set(
      referential.topics.flatMap((t) => [t.title, ...t.paraphrases, ...t.keywords]).map(sameText),
    );
    const leaked = heldOut.filter((q) => indexed.has(sameText(q.text))).map((q) => q.text);
    expect(leaked).toEqual([]);
  });
});

describe('Règle : une question libre trouve le bon sujet', () => {
  it('au moins 85 % de bonnes réponses (top 1) sur les questions tenues à l’écart', () => {
    const misses = heldOut.filter((q) => assistant.index.rank(q.text)[0]?.topic.id !== q.topic);
    const accuracy = 1 - misses.length / heldOut.length;
    const top3 =
      heldOut.filter((q) =>
        assistant.index
          .rank(q.text)
          .slice(0, 3)
          .some((m) => m.topic.id === q.topic),
      ).length / heldOut.length;
    const answered = heldOut.map((q) => ({ q, c: assistant.ask(q.text) }));
    const sure = answered.filter(({ c }) => c.kind === 'sure');
    const sureRight = sure.filter(({ q, c }) => c.kind === 'sure' && c.best.topic.id === q.topic);
    console.log(
      `Questions libres sur les élus — ${heldOut.length} questions tenues à l'écart : ` +
        `top 1 = ${(accuracy * 100).toFixed(1)} %, top 3 = ${(top3 * 100).toFixed(1)} % ; ` +
        `réponse directe pour ${sure.length} (justes : ${sureRight.length}), sujets proposés pour ${answered.filter(({ c }) => c.kind === 'weak').length}.`,
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it.each([
    ["c'est quoi le SDAASP ?", 'glossaire:SDAASP'],
    ['sdaap ?', 'glossaire:SDAASP'],
    ['c koi la scoran', 'glossaire:SCORAN'],
    ['le président de l’interco me dit qu’il a mille choses à gérer avant ça', 'frein:temps'],
    ['mon maire dit k on a pa d argent pour sa', 'financement'],
    ['l’adjointe au numérique est toute seule à défendre le projet au conseil', 'frein:isolement'],
    ['le conseil communautaire est coupé en deux sur le sujet', 'frein:desaccords'],
    ['la DGS me demande pourquoi il faudrait que les élus portent ce sujet', 'portage'],
    [
      'je bosse en quartier prioritaire, les jeunes sont très éloignés du numérique, je dis quoi au maire ?',
      'territoire:qpv',
    ],
    ['comment je fais pour rencontrer les élus, je connais personne à la mairie', 'situation:aucun-lien'],
    ['ils sont convaincus, on fait quoi ensuite ?', 'situation:convaincus'],
    ['des chiffres sur les gens éloignés du numérique svp', 'chiffres'],
  ])('« %s » → %s', (text, topic) => {
    expect(assistant.index.rank(text)[0]?.topic.id).toBe(topic);
  });

  it('une demande d’arguments sans autre précision mène au parcours guidé, pas à un sujet au hasard', () => {
    expect(assistant.ask('comment convaincre mon maire ?').kind).toBe('argumentaire');
    expect(assistant.ask('des arguments pour mon élu svp').kind).toBe('argumentaire');
    expect(assistant.ask('comment convaincre mon maire de financer un poste ?').kind).not.toBe(
      'argumentaire',
    );
  });

  it('une définition du lexique est donnée directement, avec sa source', () => {
    const c = assistant.ask("c'est quoi le SDAASP ?");
    expect(c.kind).toBe('sure');
    const answer = assistant.answer(c.kind === 'sure' ? c.best.topic.id : '')!;
    expect(answer.text).toContain(
      "schéma départemental d'amélioration de l'accessibilité des services au public",
    );
    expect(answer.source).toContain('Guide pratique Conseillers numériques');
  });
});

describe('Règle : hors sujet, pas de réponse assurée', () => {
  it.each([
    'quelle heure est-il',
    'il fait beau aujourd’hui',
    'merci beaucoup',
    'je veux commander une pizza',
    'comment installer windows',
    'ma voiture est en panne',
    'raconte-moi une blague',
    'qui a gagné le match hier soir',
    'c’est quoi un ordinateur',
    'blablabla',
  ])('« %s » ne reçoit aucune réponse', (text) => {
    expect(assistant.ask(text).kind).toBe('none');
  });

  it.each(['comment réinitialiser mon mot de passe', 'le numérique', 'j’aime le foot', 'tu es un robot ?'])(
    '« %s » ne reçoit pas de réponse assurée',
    (text) => {
      expect(assistant.ask(text).kind).not.toBe('sure');
    },
  );
});

describe('Règle : une réponse libre prend moins de 20 ms', () => {
  it('médiane sur quelques centaines de questions, index construit une fois', () => {
    const questions = [
      ...heldOut.map((q) => q.text),
      ...referential.topics.flatMap((t) => t.paraphrases.slice(0, 5)),
    ];
    const times: number[] = [];
    for (const text of questions) {
      const start = performance.now();
      const c = assistant.ask(text);
      if (c.kind === 'sure') argumentaireAnswerCard(assistant.answer(c.best.topic.id)!, []);
      else if (c.kind === 'weak')
        argumentaireSuggestionsCard(
          c.ranking.slice(0, 3).map((m) => ({ id: m.topic.id, title: m.topic.title })),
        );
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.floor(times.length * 0.95)]!;
    console.log(
      `Réponse libre : médiane ${median.toFixed(2)} ms, 95e centile ${p95.toFixed(2)} ms sur ${times.length} questions.`,
    );
    expect(times.length).toBeGreaterThanOrEqual(300);
    expect(median).toBeLessThanOrEqual(20);
  });
});
