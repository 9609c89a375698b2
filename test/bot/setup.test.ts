import { describe, expect, it } from 'vitest';
import { typeFromName } from '../../src/domain/collectivite/collectivite.js';
import { buttonData, createTestBot } from '../helpers/testBot.js';

describe('Règle : le type de collectivité n’est pas demandé quand le nom le dit', () => {
  it.each([
    ['Communauté de communes de Lacq-Orthez', 'intercommunalite'],
    ["Communauté d'agglomération du Grand Dax", 'intercommunalite'],
    ['Métropole de Lyon', 'intercommunalite'],
    ['Ville de Tours', 'commune'],
    ['Commune de Saint-Pierre', 'commune'],
    ['Département de la Gironde', 'departement'],
    ['Conseil régional de Bretagne', 'region'],
    ['Saint-Pierre-des-Corps', undefined],
    ['Villeneuve-sur-Lot', undefined],
  ])('« %s » → %s', (name, type) => {
    expect(typeFromName(name)).toBe(type);
  });

  it('« Communauté de communes … » passe directement au territoire ; « retour » permet de choisir le type', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    const reply = await bot.say('Communauté de communes du Haut-Test');
    expect(reply.text).toContain(
      "Noté : Communauté de communes du Haut-Test, intercommunalité (d'après son nom",
    );
    expect(reply.text).not.toContain('Quel type de collectivité');
    const back = await bot.say('retour');
    expect(back.text).toContain('Quel type de collectivité');
    await bot.say('commune');
    await bot.say('aucune');
    expect((await bot.say('1')).text).toContain('Indicateur 1 / 68');
  });
});

describe('Petites choses qu’un utilisateur exigeant remarque', () => {
  it('« annuler » sans rien en cours le dit', async () => {
    const bot = createTestBot();
    expect((await bot.say('annuler')).text).toContain("Il n'y a rien en cours à annuler");
  });

  it('« Question précédente » n’est pas proposée à la première question', async () => {
    const bot = createTestBot();
    const first = await bot.say('diagnostic rapide');
    expect(first.text).not.toContain('Question précédente');
    expect((await bot.say('oui')).text).toContain('Question précédente');
  });

  it('« aide » cite chaque commande, en liste', async () => {
    const bot = createTestBot();
    const help = (await bot.say('aide')).text;
    for (const command of [
      'diagnostic rapide',
      'diagnostic complet',
      'convaincre mon élu',
      'reprendre',
      'code de reprise',
      'résultats',
      'détails',
      'évolution',
      'rapport',
      'retour',
      'passer',
      'pause',
      'annuler',
      'menu',
      'modifier la question',
      'inviter',
      'rejoindre',
      'désaccords',
      'révoquer le code',
      'mes données',
      'supprimer mes données',
    ])
      expect(help, command).toContain(`« ${command}`);
    expect(help).toMatch(/^- /m);
  });
});

describe('Règle : recommencer alors qu’un diagnostic est en cours demande d’abord', () => {
  it('« diagnostic rapide » avec 3 réponses en cours propose de reprendre ou d’en commencer un nouveau', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    for (let n = 0; n < 3; n++) await bot.say('oui');
    const asked = await bot.say('diagnostic rapide');
    expect(asked.text).toContain('Vous avez un diagnostic rapide en cours (3 réponses sur 13)');
    const resumed = await bot.submit(buttonData(asked.activities, 'Reprendre'));
    expect(resumed.text).toContain('Question 4 / 13');

    const again = await bot.say('diagnostic rapide');
    const first = (await bot.service.activeDiagnostic('test:user1'))!.id;
    const fresh = await bot.submit(buttonData(again.activities, 'Commencer un nouveau'));
    expect(fresh.text).toContain('Question 1 / 13');
    const second = (await bot.service.activeDiagnostic('test:user1'))!;
    expect(second.id).not.toBe(first);
    expect(Object.keys((await bot.service.diagnostic(first))!.answers)).toHaveLength(3);
  });

  it('« nouveau diagnostic rapide » tapé commence sans demander ; un diagnostic fini ne demande rien', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    expect((await bot.say('nouveau diagnostic rapide')).text).toContain('Question 1 / 13');
    for (let n = 0; n < 13; n++) await bot.say('non');
    expect((await bot.say('diagnostic rapide')).text).toContain('Question 1 / 13');
  });
});

describe('Règle : un diagnostic rapide peut porter le nom de sa collectivité', () => {
  it('« nommer Commune de Lacq » titre les résultats et le rapport ; un nom qui ressemble à un lien est refusé', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    let reply;
    for (let n = 0; n < 13; n++) reply = await bot.say('oui');
    expect(reply!.text).toContain('tapez « nommer » suivi de son nom');
    expect((await bot.say('nommer www.exemple.fr')).text).toContain("pas d'adresse web");
    expect((await bot.say('nommer Commune de Lacq')).text).toContain(
      'Noté : ce diagnostic rapide est celui de Commune de Lacq, et son rapport porte ce nom.',
    );
    const results = await bot.say('résultats');
    expect(results.text).toContain('Commune de Lacq');
    expect(results.text).not.toContain('tapez « nommer »');
    const diagnostic = (await bot.service.activeDiagnostic('test:user1'))!;
    expect(diagnostic.name).toBe('Commune de Lacq');
    const { buildReportData, reportHeading } = await import('../../src/reports/reportModel.js');
    const { referentials } = await import('../helpers/testBot.js');
    expect(reportHeading(buildReportData(referentials, diagnostic))).toBe('Commune de Lacq');
  });
});
