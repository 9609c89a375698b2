import { describe, expect, it } from 'vitest';
import { createTestBot } from '../helpers/testBot.js';

function attachedJson(
  activities: { attachments?: { contentType: string; content?: unknown; contentUrl?: string }[] }[],
) {
  const file = activities
    .flatMap((a) => a.attachments ?? [])
    .find((a) => a.contentType === 'application/json');
  const base64 = file!.contentUrl!.replace(/^data:application\/json;base64,/, '');
  return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
}

describe('Règle : chacun voit et peut effacer ce que l’assistant garde sur lui (RGPD)', () => {
  it('« mes données » résume et joint un export JSON complet', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    await bot.say('non');
    const reply = await bot.say('mes données');
    expect(reply.text).toContain("Voici ce que l'assistant garde sur vous");
    expect(reply.text).toContain('2 réponses');
    const data = attachedJson(reply.activities);
    expect(data.respondentId).toBe('test:user1');
    expect(data.diagnostics).toHaveLength(1);
    expect(data.diagnostics[0].answersGiven).toHaveLength(2);
  });

  it('« supprimer mes données » demande confirmation ; « non » ne supprime rien, « oui » efface', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic rapide');
    await bot.say('oui');
    const ask = await bot.say('supprimer mes données');
    expect(ask.text).toContain('Supprimer toutes vos données ?');
    expect((await bot.say('non')).text).toContain('Rien n’a été supprimé');
    expect(await bot.service.respondent('test:user1')).toBeDefined();

    await bot.say('supprimer mes données');
    const done = await bot.say('oui');
    expect(done.text).toContain('vos données sont supprimées');
    expect(await bot.service.respondent('test:user1')).toBeUndefined();
    expect((await bot.say('reprendre')).text).toContain('pas de diagnostic en cours');
  });

  it('les réponses données pour une collectivité restent, sans plus dire qui les a données', async () => {
    const bot = createTestBot();
    await bot.say('diagnostic complet');
    await bot.say('Testbourg');
    await bot.say('commune');
    await bot.say('aucune');
    await bot.say('2');
    await bot.say('oui');
    await bot.say('non');
    const diagnostic = await bot.service.activeDiagnostic('test:user1');
    await bot.say('supprimer mes données');
    await bot.say('oui');
    const kept = await bot.service.diagnostic(diagnostic!.id);
    expect(Object.keys(kept!.answers)).toHaveLength(2);
    expect(JSON.stringify(kept)).not.toContain('test:user1');
  });
});
