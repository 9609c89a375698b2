import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';

/** What the process printed, without Node's deprecation warnings about a dependency. */
const printed = (message: string): string[] =>
  message
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '' && !/DeprecationWarning|--trace-deprecation/.test(line));

describe('Règle : un port impossible arrête le serveur avec une phrase, comme une configuration invalide', () => {
  it('port déjà utilisé : une phrase qui nomme le port, code de sortie 2, ni JSON ni trace', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const error = await startServer({ env: { PORT: String(port) } }).then(
        () => 'started',
        (err: Error) => err.message,
      );
      expect(error).toContain('exited with 2');
      expect(printed(error)).toEqual([
        `server: le port ${port} est déjà utilisé sur 127.0.0.1 : arrêtez l'autre programme ou choisissez un autre ` +
          `PORT / port ${port} is already in use`,
      ]);
    } finally {
      holder.close();
    }
  });

  it('adresse d’écoute absente de la machine : une phrase qui nomme HOST, code de sortie 2', async () => {
    const error = await startServer({
      env: {
        HOST: '192.0.2.1',
        MicrosoftAppId: 'id',
        MicrosoftAppPassword: 'secret',
        MicrosoftAppType: 'MultiTenant',
      },
    }).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(error).toContain('exited with 2');
    expect(printed(error)).toEqual([
      "server: 192.0.2.1 n'est pas une adresse de cette machine : corrigez HOST / address 192.0.2.1 is not available here",
    ]);
  });
});

describe('Règle : hors mode local, un serveur démarré signale une fois les réglages légaux manquants', () => {
  it('avertissement unique, après l’écoute, qui nomme les réglages', async () => {
    const server = await startServer({
      env: { MicrosoftAppId: 'id', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'MultiTenant' },
    });
    try {
      // the log line may reach the pipe just after /healthz answers
      const warned = () => server.output().includes('legal pages: settings missing');
      for (let i = 0; i < 40 && !warned(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const warnings = server
        .output()
        .split('\n')
        .filter((line) => line.includes('legal pages: settings missing'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('LEGAL_PUBLISHER');
    } finally {
      await server.stop();
    }
  });
});
