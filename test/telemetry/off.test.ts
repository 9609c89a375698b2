import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startTelemetry } from '../../src/telemetry/start.js';
import { createTestBot } from '../helpers/testBot.js';

/** The modules Node has loaded so far from node_modules/<scope>. */
const loadedFrom = (scope: string) =>
  Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes(`/node_modules/${scope}`));

describe('without APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
  it('loads and starts nothing, and turns run as before', async () => {
    expect(await startTelemetry({}, createLogger('silent'))).toBeUndefined();
    expect(
      await startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: undefined }, createLogger('silent')),
    ).toBeUndefined();

    const bot = createTestBot();
    expect((await bot.say('diagnostic rapide')).text).toMatch(/Question 1 \/ 13/);
    expect((await bot.say('oui')).text).toMatch(/Question 2 \/ 13/);

    expect(loadedFrom('botbuilder/')).not.toEqual([]); // the check sees what is loaded
    expect(loadedFrom('@azure/monitor-opentelemetry')).toEqual([]);
    expect(loadedFrom('@opentelemetry/')).toEqual([]);
  });
});
