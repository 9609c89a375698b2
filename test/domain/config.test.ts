import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('Règle : la configuration est validée au démarrage, avec des messages qui nomment la variable', () => {
  it('sans rien : port 3978, lowdb dans ./data, mode local sur 127.0.0.1', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3978,
      DATA_DIR: './data',
      STORAGE: 'lowdb',
      localMode: true,
      host: '127.0.0.1',
    });
  });

  it('les valeurs vides valent absence (fichier .env modèle)', () => {
    expect(loadConfig({ MicrosoftAppType: '', STORAGE: '', PUBLIC_URL: '' }).localMode).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ STORAGE: 'postgres' }, 'STORAGE'],
    [{ STORAGE: 'blob' }, 'BLOB_CONNECTION_STRING'],
    [{ MicrosoftAppId: 'x' }, 'MicrosoftAppPassword'],
    [{ HOST: '0.0.0.0' }, 'HOST'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ LOG_LEVEL: 'bavard' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'oui' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '17' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.1, 10.0.0.300' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
  ])('%o est refusé en nommant %s', (env, variable) => {
    try {
      loadConfig(env as NodeJS.ProcessEnv);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(variable);
    }
  });

  it('TRUST_PROXY : désactivé par défaut, un nombre de relais, ou des adresses et plages', () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual({ hops: 0 });
    expect(loadConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toEqual({ hops: 0 });
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toEqual({ hops: 1 });
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.4, 10.1.0.0/16 ,::1 ' }).TRUST_PROXY).toEqual({
      addresses: ['10.0.0.4', '10.1.0.0/16', '::1'],
    });
  });

  it('avec des identifiants, le serveur peut écouter sur toutes les interfaces', () => {
    const config = loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'secret' });
    expect(config.localMode).toBe(false);
    expect(config.host).toBe('0.0.0.0');
  });
});
