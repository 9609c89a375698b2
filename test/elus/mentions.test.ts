import { describe, expect, it } from 'vitest';
import { elusExtension } from '../../dialogs/elusExtension.js';
import { buttonData, createTestBot } from '../helpers/testBot.js';
import { assistant } from './helpers.js';

describe('Règle : une réponse tient compte de l’échelon et du territoire dont parle le message', () => {
  it.each([
    ['je suis coordinatrice dans un syndicat mixte du Jura', { echelon: 'intercommunalite' }],
    ['la com com ne veut pas financer', { echelon: 'intercommunalite' }],
    ['secrétaire de mairie dans un village de 400 habitants', { echelon: 'commune', territoire: 'rural' }],
    ['le conseil départemental hésite', { echelon: 'departement' }],
    ['on travaille en quartier prioritaire avec la préfecture', { echelon: 'etat', territoire: 'qpv' }],
    ['mon maire et la vice-présidente du département ne sont pas d’accord', {}],
    ['les élus n’ont pas le temps', {}],
  ])('« %s » → %j', (text, mentions) => {
    expect(assistant.mentionsOf(text)).toEqual(mentions);
  });

  it('la réponse commence par ce que dit le guide pour cet échelon, et l’argumentaire part de cet échelon', async () => {
    const answer = assistant.answer('frein:temps', { echelon: 'intercommunalite', territoire: 'rural' })!;
    const interco = assistant.referential.echelon('intercommunalite')!;
    const rural = assistant.referential.territoire('rural')!;
    expect(answer.details[0]).toBe(`Avec des élus de l'échelon « Intercommunalité » : ${interco.angle}`);
    expect(answer.details[1]).toBe(`Sur un territoire « ${rural.label} » : ${rural.angle}`);
    expect(answer.prefill).toEqual({ frein: 'temps', echelon: 'intercommunalite', territoire: 'rural' });

    const bot = createTestBot({ extensions: (deps) => [elusExtension(deps, assistant)] });
    const reply = await bot.say(
      'le président de la communauté de communes me dit qu’il a quarante dossiers plus urgents, le numérique attendra',
    );
    expect(reply.text).toContain("Les élus n'ont pas le temps");
    expect(reply.text).toContain("Avec des élus de l'échelon « Intercommunalité »");
    const guided = await bot.submit(buttonData(reply.activities, 'Construire mon argumentaire'));
    expect(guided.text).toContain('étape 1 sur 2');
    await bot.say('2');
    const card = await bot.say('passer');
    expect(card.text).toContain('Frein : Manque de temps');
    expect(card.text).toContain('Échelon : Intercommunalité');
  });

  it('un sujet d’échelon ne répète pas l’échelon ; l’État n’est pas une étape du parcours', () => {
    const echelon = assistant.answer('echelon:intercommunalite', { echelon: 'intercommunalite' })!;
    expect(echelon.details.some((d) => d.startsWith('Avec des élus'))).toBe(false);
    expect(assistant.answer('frein:temps', { echelon: 'etat' })!.prefill).toEqual({ frein: 'temps' });
  });
});
