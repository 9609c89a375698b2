import { MemoryStorage } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { answersOf } from '../../src/domain/assessment/assessment.js';
import { formatPercent } from '../../src/domain/scoring/format.js';
import { indicatorsInScope } from '../../src/domain/scoring/scope.js';
import { computeMaturity } from '../../src/domain/scoring/scoring.js';
import type { AnswerValue } from '../../src/domain/scoring/answers.js';
import { typedAnswers, type ReplyActivity } from '../helpers/botClient.js';
import { buttonData, createTestBot, referentials } from '../helpers/testBot.js';

const { maturity } = referentials;

/** The facts (title → value) of the cards in the replies, as a screen reader reads a FactSet. */
function factsOf(activities: ReplyActivity[]): Record<string, string> {
  const facts: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'FactSet' && Array.isArray(o.facts))
      for (const f of o.facts as { title: string; value: string }[]) facts[f.title] = f.value;
    Object.values(o).forEach(walk);
  };
  walk(activities.map((a) => a.attachments?.map((x) => x.content)));
  return facts;
}

async function startFull(bot: ReturnType<typeof createTestBot>, scopeChoice = '1') {
  await bot.say('diagnostic complet');
  await bot.say('Testville');
  await bot.say('commune');
  await bot.say('aucune');
  return bot.say(scopeChoice);
}

describe('Scénario : diagnostic rapide en touchant les boutons', () => {
  it('chaque bouton de carte est routé (texte vide, valeur de carte) et enregistré', async () => {
    const bot = createTestBot();
    let reply = await bot.say('diagnostic rapide');
    for (let n = 1; n <= 13; n++) {
      expect(reply.text).toContain(`Question ${n} / 13`);
      reply = await bot.submit(buttonData(reply.activities, n <= 6 ? 'Oui' : 'Non'));
    }
    expect(reply.text).toContain('Résultats');
    expect(reply.text).toMatch(/Niveau : (Consolidation|Structuration)/);
  });

  it('la même carte envoyée deux fois (double clic) n’enregistre qu’une réponse et ne saute pas de question', async () => {
    const bot = createTestBot();
    const first = await bot.say('diagnostic rapide');
    const yes = buttonData(first.activities, 'Oui');
    const afterFirst = await bot.submit(yes);
    expect(afterFirst.text).toContain('Question 2 / 13');
    const afterSecond = await bot.submit(yes);
    expect(afterSecond.text).toContain('ancienne carte');
    expect(afterSecond.text).toContain('Question 2 / 13');
    const diagnostic = await bot.service.activeDiagnostic('test:user1');
    expect(Object.keys(diagnostic!.answers)).toHaveLength(1);
  });

  it('une valeur de carte forgée ou inconnue reçoit une explication en français et la question en cours', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    const forged = await bot.submit({ action: 'answer', indicator: 999, value: 'oui' });
    expect(forged.text).toContain('ancienne carte');
    expect(forged.text).toContain('Question 1 / 13');
    const garbage = await bot.submit({ action: 'drop table', x: '<script>' });
    expect(garbage.text).toContain("n'est pas valide");
    expect(garbage.text).toContain('Question 1 / 13');
    const wrongValue = await bot.submit({ action: 'answer', indicator: 1, value: 'peut-être' });
    expect(wrongValue.text).toContain("n'est pas valide");
    const diagnostic = await bot.service.activeDiagnostic('test:user1');
    expect(diagnostic!.answers).toEqual({});
  });
});

describe('Scénario : les commandes pendant un diagnostic', () => {
  it('« retour » revient à la question précédente et montre la réponse actuelle ; la corriger la remplace', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    await bot.say('non');
    const back = await bot.say('retour');
    expect(back.text).toContain('Question 2 / 13');
    expect(back.text).toContain('Réponse actuelle : Non');
    const corrected = await bot.say('en partie');
    expect(corrected.text).toContain('Question 3 / 13');
    const diagnostic = await bot.service.activeDiagnostic('test:user1');
    const second = maturity.keyIndicators[1]!.indicateur.number;
    expect(diagnostic!.answers[second]!.value).toBe('en_partie');
    const atStart = await bot
      .say('retour')
      .then(() => bot.say('retour'))
      .then(() => bot.say('retour'));
    expect(atStart.text).toContain('première question');
  });

  it('« passer » laisse la question sans réponse (hors du calcul) et avance', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    const skipped = await bot.say('passer');
    expect(skipped.text).toContain('Question 2 / 13');
    let reply = skipped;
    for (let n = 2; n <= 13; n++) reply = await bot.say('oui');
    expect(reply.text).toContain('12 réponses connues sur 13');
    expect(reply.text).toContain('100 %');
  });

  it('« pause » garde tout ; « reprendre » dans une nouvelle conversation repart à la première question sans réponse', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    for (let n = 1; n <= 4; n++) await bot.say('oui');
    const paused = await bot.say('pause');
    expect(paused.text).toContain('4 réponses sur 13');
    const elsewhere = await bot.say('reprendre', { conversation: { id: 'une-autre-conversation' } as never });
    expect(elsewhere.text).toContain('Question 5 / 13');
  });

  it('« aide », « menu », « annuler », « résultats » fonctionnent à tout moment sans rien perdre', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    const help = await bot.say('aide');
    expect(help.text).toContain('diagnostic rapide');
    expect(help.text).toContain('Question 2 / 13');
    const results = await bot.say('résultats');
    expect(results.text).toContain('Résultats provisoires');
    expect(results.text).toContain('1 réponse connue sur 13');
    const menu = await bot.say('menu');
    expect(menu.text).toContain('Diagnostic rapide (3 min)');
    expect(menu.text).toContain('diagnostic en cours');
    const cancelled = await bot.say('annuler');
    expect(cancelled.text).toContain('restent enregistrées');
    expect((await bot.say('reprendre')).text).toContain('Question 2 / 13');
  });

  it('toutes les réponses enregistrées mais le diagnostic jamais clos (arrêt brutal) : « reprendre » le clôt et donne le rapport', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    const diagnostic = await bot.service.activeDiagnostic('test:user1');
    for (const ref of maturity.keyIndicators) {
      await bot.service.answer(diagnostic!.id, 'test:user1', ref.indicateur.number, 'oui');
    }
    const resumed = await bot.say('reprendre', { conversation: { id: 'apres-redemarrage' } as never });
    expect(resumed.text).toContain('Ce diagnostic est terminé');
    expect(resumed.text).toContain('100 %');
    expect(resumed.text).toContain('/rapports/');
    expect((await bot.service.diagnostic(diagnostic!.id))!.reportId).toBeDefined();
  });

  it('une réponse incomprise est réexpliquée, la question reposée, rien n’est enregistré', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    const reply = await bot.say('peut-être demain');
    expect(reply.text).toContain("Je n'ai pas compris votre réponse");
    expect(reply.text).toContain('Question 1 / 13');
    for (const typed of ['1', 'ouais', 'partiellement', 'nsp', 'Je sais pas', 'NON']) {
      expect((await bot.say(typed)).text).not.toContain('pas compris');
    }
  });
});

describe('Scénario : diagnostic complet', () => {
  it('demande la collectivité, présente enjeux et prérequis, situe chaque indicateur', async () => {
    const bot = createTestBot();
    const first = await startFull(bot);
    expect(first.text).toContain('Indicateur 1 / 68 — Enjeu 1 · Prérequis 1');
    expect(first.text).toContain('Enjeu 1 : Porter politiquement');
    let reply = first;
    for (let n = 1; n <= 5; n++) reply = await bot.say('non');
    expect(reply.text).toContain('Indicateur 6 / 68 — Enjeu 1 · Prérequis 2');
    expect(reply.text).toContain('Ce prérequis :');
  });

  it('un nom de collectivité vide, trop long ou avec du Markdown est refusé avec une explication', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    expect((await bot.say('x')).text).toContain('au moins 2 caractères');
    expect((await bot.say('a'.repeat(300))).text).toContain('120 caractères');
    expect((await bot.say('[clic](http://evil.example)')).text).toContain('ne peut contenir que');
    // a real commune's name, with accents and hyphens: accepted, and recognised (test/bot/setup.test.ts)
    expect((await bot.say('Saint-Étienne-du-Rouvray')).text).toContain(
      "J'ai reconnu : Saint-Étienne-du-Rouvray (commune, Seine-Maritime",
    );
  });

  it('après « oui », demande les quantités et comprend les nombres écrits en français', async () => {
    const bot = createTestBot();
    await startFull(bot, '3'); // enjeu 2 only
    let reply = await bot.say('oui');
    for (let n = 16; n <= 21; n++) reply = await bot.say(n === 21 ? 'oui' : 'non');
    expect(reply.text).toContain('Montant du budget');
    expect((await bot.say('beaucoup')).text).toContain('pas reconnu de nombre');
    expect((await bot.say('-200')).text).toContain('négatif');
    reply = await bot.say('45 000 €');
    expect(reply.text).toContain('Indicateur 22');
    reply = await bot.say('oui');
    expect(reply.text).toContain('Montant du budget de fonctionnement');
    reply = await bot.say('1,5 M€');
    reply = await bot.say('passer');
    reply = await bot.say('en partie');
    reply = await bot.say('douze mille');
    const diagnostic = await bot.service.activeDiagnostic('test:user1');
    expect(diagnostic!.answers['21']!.quantities).toEqual({ q21_budget_concertation: 45000 });
    expect(diagnostic!.answers['22']!.quantities).toEqual({ q22_budget_fonctionnement: 1500000 });
    expect(diagnostic!.answers['23']!.quantities).toEqual({ q23_cofinancement_etat: 12000 });
    expect(reply.text).toContain('précision 2 / 4');
  });

  it('« je ne sais pas » à une question de montant la laisse sans réponse, et chaque réponse est confirmée', async () => {
    const bot = createTestBot();
    await startFull(bot, '3'); // enjeu 2 only
    let reply = await bot.say('oui');
    expect(reply.text).toMatch(/^Noté : Oui\./);
    for (let n = 16; n <= 21; n++) reply = await bot.say(n === 21 ? 'plutôt oui' : 'pas vraiment');
    expect(reply.text).toMatch(/^Noté : En partie\./);
    expect(reply.text).toContain('Montant du budget');
    reply = await bot.say('je ne sais pas');
    expect(reply.text).toMatch(/^Noté : « Montant du budget[^»]*» sans réponse\./);
    expect(reply.text).toContain('Indicateur 22');
    reply = await bot.say('oui');
    reply = await bot.say('1,5 M€');
    expect(reply.text).toMatch(/^Noté : 1\s500\s000 €\./);
    const diagnostic = (await bot.service.activeDiagnostic('test:user1'))!;
    expect(diagnostic.answers['20']!.value).toBe('non');
    expect(diagnostic.answers['21']!.value).toBe('en_partie');
    expect(diagnostic.answers['21']!.quantities ?? {}).toEqual({});
  });

  it('dans une conversation de groupe, la confirmation dit pour qui la réponse est notée', async () => {
    const bot = createTestBot();
    const alice = {
      channelId: 'msteams',
      from: { id: '29:alice', aadObjectId: 'aad-alice', name: 'Alice' },
      conversation: { id: '19:groupe@thread.v2', conversationType: 'groupChat', isGroup: true },
      channelData: { tenant: { id: 't' } },
    } as never;
    await bot.say('diagnostic rapide', alice);
    expect((await bot.say('on y travaille', alice)).text).toMatch(/^Noté pour Alice : En partie\./);
    expect((await bot.say('passer', alice)).text).toMatch(
      /^Noté pour Alice : question passée, sans réponse\./,
    );
  });

  it('au récapitulatif, on corrige une réponse puis on voit les résultats en tapant', async () => {
    const bot = createTestBot();
    await startFull(bot, '2'); // enjeu 1 only: 14 indicators
    let reply;
    for (let n = 0; n < 14; n++) reply = await bot.say('oui');
    while (reply!.text.includes('(facultative)')) reply = await bot.say('passer');
    expect(reply!.text).toContain('Avant les résultats : vos réponses');
    expect(factsOf(reply!.activities)).toMatchObject({ Oui: '14', Non: '0', 'Sans réponse': '0' });
    reply = await bot.say("je me suis trompé à la 3, c'est non");
    expect(reply.text).toMatch(/^Noté : Non à la question 3\./);
    expect(factsOf(reply.activities)).toMatchObject({ Oui: '13', Non: '1' });
    reply = await bot.say('voir les résultats');
    expect(reply.text).toContain("Résultats — Diagnostic de l'enjeu 1");
    expect((await bot.service.activeDiagnostic('test:user1'))!.finishedAt).toBeDefined();
  });

  it('un diagnostic complet des 68 indicateurs donne les résultats du moteur de calcul', async () => {
    const bot = createTestBot({ storage: new MemoryStorage() });
    let reply = await startFull(bot);
    const cycle: AnswerValue[] = ['oui', 'non', 'en_partie', 'non', 'nsp', 'oui', 'non'];
    const typed = typedAnswers;
    for (const [i, ref] of indicatorsInScope(maturity, { kind: 'full' }).entries()) {
      expect(reply.text).toContain(`Indicateur ${ref.indicateur.number} / 68`);
      reply = await bot.say(typed[cycle[i % cycle.length]!]);
      while (reply.text.includes('(facultative)')) reply = await bot.say('passer');
    }
    // before the results, the summary of the person's answers, with the way to change one
    expect(reply.text).toContain('Avant les résultats : vos réponses');
    expect(reply.text).toContain('modifier la question 12');
    const counted = (await bot.service.activeDiagnostic('test:user1'))!;
    const nsp = Object.values(counted.answers).filter((a) => a.value === 'nsp').length;
    expect(factsOf(reply.activities)['Je ne sais pas']).toBe(String(nsp));
    expect((await bot.service.activeDiagnostic('test:user1'))!.finishedAt).toBeUndefined();
    reply = await bot.submit(buttonData(reply.activities, 'Voir les résultats'));
    const diagnostic = await bot.service.activeDiagnostic('test:user1');
    expect(diagnostic!.finishedAt).toBeDefined();
    expect(diagnostic!.reportId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const expected = computeMaturity(maturity, { kind: 'full' }, answersOf(diagnostic!));
    expect(Object.keys(diagnostic!.answers)).toHaveLength(68);
    expect(reply.text).toContain(`Score global : ${formatPercent(expected.score)}`);
    expect(reply.text).toContain(`Niveau : ${expected.level}`);
    for (const enjeu of expected.enjeux) expect(reply.text).toContain(formatPercent(enjeu.score));
    for (const p of expected.priorities) expect(reply.text).toContain(p.title.replace(/\.$/, ''));
    expect(reply.text).toContain('À vérifier');
    expect(reply.text).toContain('Prochaines étapes');
    expect(reply.text).toContain('/rapports/');
  });
});

describe('Règle : une activité Teams sans channelData ne fait pas échouer le tour', () => {
  it.each(['messageUpdate', 'messageDelete'])(
    '%s sans channelData : aucune erreur, la conversation continue',
    async (type) => {
      const bot = createTestBot();
      const failures: unknown[] = [];
      bot.adapter.onTurnError = async (_context, error) => {
        failures.push(error);
      };
      await bot.say('diagnostic rapide', { channelId: 'msteams' });
      await bot.send({ type, channelId: 'msteams' });
      const next = await bot.say('oui', { channelId: 'msteams' });
      expect(failures).toEqual([]);
      expect(next.text).toContain('Question 2 / 13');
    },
  );
});

describe('Règle : un champ null de l’activité vaut un champ absent', () => {
  it('« entities », « attachments », « value » et « membersAdded » à null : le tour répond normalement', async () => {
    const bot = createTestBot();
    const failures: unknown[] = [];
    bot.adapter.onTurnError = async (_context, error) => {
      failures.push(error);
    };
    await bot.say('diagnostic rapide');
    const nulls = { entities: null, attachments: null, value: null, membersAdded: null, channelData: null };
    const next = await bot.say('oui', nulls as never);
    expect(failures).toEqual([]);
    expect(next.text).toContain('Question 2 / 13');
  });
});
