import { describe, expect, it } from 'vitest';
import {
  JoinAttemptLimiter,
  joinAttemptDefaults,
  joinWaitMessage,
} from '../../src/domain/collectivite/joinAttempts.js';
import { createTestBot } from '../helpers/testBot.js';

describe('Règle : deviner un code pour rejoindre une collectivité est ralenti', () => {
  it('après 5 codes erronés, chaque essai attend, deux fois plus à chaque nouvelle erreur, puis tout est oublié', () => {
    let now = 0;
    const limiter = new JoinAttemptLimiter(joinAttemptDefaults, () => now);
    const who = ['respondent:web:a'];
    for (let n = 0; n < 5; n++) {
      expect(limiter.check(who)).toEqual({ ok: true });
      limiter.recordFailure(who);
    }
    expect(limiter.check(who)).toEqual({ ok: true });
    limiter.recordFailure(who);
    expect(limiter.check(who)).toEqual({ ok: false, retryInSeconds: 10 });
    now += 10_000;
    expect(limiter.check(who)).toEqual({ ok: true });
    limiter.recordFailure(who);
    expect(limiter.check(who)).toEqual({ ok: false, retryInSeconds: 20 });
    now += 20_000;
    limiter.recordFailure(who);
    expect(limiter.check(who)).toEqual({ ok: false, retryInSeconds: 40 });

    now += joinAttemptDefaults.forgetAfterMs;
    limiter.recordFailure(who);
    expect(limiter.check(who)).toEqual({ ok: true });
  });

  it('l’attente ne dépasse pas 15 minutes, et un bon code remet le compteur à zéro', () => {
    let now = 0;
    const limiter = new JoinAttemptLimiter(joinAttemptDefaults, () => now);
    const who = ['respondent:web:b', 'conversation:webchat/c'];
    for (let n = 0; n < 40; n++) {
      limiter.recordFailure(who);
      now += 1;
    }
    const blocked = limiter.check(who);
    expect(blocked.ok).toBe(false);
    expect(!blocked.ok && blocked.retryInSeconds).toBeLessThanOrEqual(15 * 60);
    limiter.recordSuccess(who);
    expect(limiter.check(who)).toEqual({ ok: true });
  });

  it('garde un nombre borné de clés en mémoire', () => {
    const limiter = new JoinAttemptLimiter({ ...joinAttemptDefaults, maxKeys: 100, freeFailures: 0 });
    for (let n = 0; n < 1_000; n++) limiter.recordFailure([`respondent:${n}`]);
    expect(limiter.check(['respondent:999']).ok).toBe(false);
    expect(limiter.check(['respondent:0']).ok).toBe(true);
  });

  it('dit l’attente en français', () => {
    expect(joinWaitMessage(1)).toContain('1 seconde.');
    expect(joinWaitMessage(40)).toContain('40 secondes');
    expect(joinWaitMessage(600)).toContain('10 minutes');
  });
});

describe('Scénario : quelqu’un essaie des codes au hasard', () => {
  it('au sixième code erroné, le bon code lui-même doit attendre ; un collègue ailleurs n’est pas gêné', async () => {
    const bot = createTestBot();
    const owner = { from: { id: 'proprietaire' }, conversation: { id: 'conv-proprietaire' } } as never;
    await bot.say('diagnostic complet', owner);
    await bot.say('Codeville', owner);
    await bot.say('commune', owner);
    await bot.say('aucune', owner);
    await bot.say('2', owner);
    await bot.say('pause', owner);
    const invitation = await bot.say('inviter', owner);
    const code = /\*\*([A-Z0-9-]{12})\*\*/.exec(invitation.text)![1]!;

    const guesser = { from: { id: 'devineur' }, conversation: { id: 'conv-devineur' } } as never;
    for (let n = 0; n < 6; n++) {
      expect((await bot.say(`rejoindre AAAA-AAAA-A${n + 2}`, guesser)).text).toContain(
        'ne correspond à aucune collectivité',
      );
    }
    const slowed = await bot.say(`rejoindre ${code}`, guesser);
    expect(slowed.text).toMatch(
      /Trop de codes erronés d'affilée : par sécurité, réessayez dans \d+ secondes/,
    );
    expect((await bot.service.respondent('test:devineur'))?.collectiviteIds ?? []).toEqual([]);

    const colleague = { from: { id: 'collegue' }, conversation: { id: 'conv-collegue' } } as never;
    expect((await bot.say(`rejoindre ${code}`, colleague)).text).toContain('Vous avez rejoint Codeville');
  });
});
