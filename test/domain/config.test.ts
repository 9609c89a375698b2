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

describe('Règle : le stockage Blob se joint par chaîne de connexion ou par identité managée, pas les deux', () => {
  const container = { STORAGE: 'blob', BLOB_CONTAINER: 'assistant' };

  it('BLOB_ACCOUNT_URL seul suffit (identité managée), normalisé sans / final', () => {
    const config = loadConfig({
      ...container,
      BLOB_ACCOUNT_URL: ' https://moncompte.blob.core.windows.net/ ',
    });
    expect(config.BLOB_ACCOUNT_URL).toBe('https://moncompte.blob.core.windows.net');
    expect(config.BLOB_CONNECTION_STRING).toBeUndefined();
  });

  it.each([
    [{ ...container }, 'BLOB_CONNECTION_STRING'],
    [
      {
        ...container,
        BLOB_CONNECTION_STRING: 'UseDevelopmentStorage=true',
        BLOB_ACCOUNT_URL: 'https://a.blob.core.windows.net',
      },
      'BLOB_ACCOUNT_URL',
    ],
  ])('%o est refusé : il faut exactement l’un des deux (%s nommé)', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(
      new RegExp(
        `${variable}: avec STORAGE=blob, renseignez soit BLOB_CONNECTION_STRING, soit BLOB_ACCOUNT_URL.*exactly one`,
      ),
    );
  });

  it.each(['http://moncompte.blob.core.windows.net', 'moncompte.blob.core.windows.net', 'https://'])(
    'BLOB_ACCOUNT_URL=%s est refusé (https attendu)',
    (url) => {
      expect(() => loadConfig({ ...container, BLOB_ACCOUNT_URL: url })).toThrow(
        /BLOB_ACCOUNT_URL: adresse https/,
      );
    },
  );

  it('une adresse avec un jeton SAS est refusée sans que le jeton soit répété', () => {
    const sas = 'sv=2024-11-04&ss=b&srt=sco&sp=rwdlac&sig=SecretDeSignature%2Bxyz%3D';
    try {
      loadConfig({ ...container, BLOB_ACCOUNT_URL: `https://moncompte.blob.core.windows.net/?${sas}` });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/BLOB_ACCOUNT_URL: .*pas de jeton SAS/);
      expect((err as Error).message).not.toContain('SecretDeSignature');
    }
  });
});

describe('Règle : l’identité du bot peut être une identité managée affectée par l’utilisateur', () => {
  const msi = {
    MicrosoftAppType: 'UserAssignedMSI',
    MicrosoftAppId: '7d3c9a10-5b1e-4c2f-9a8d-0e6f4b2c1a90',
    MicrosoftAppTenantId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  };

  it('ID client et locataire, sans mot de passe : mode Azure', () => {
    const config = loadConfig(msi);
    expect(config).toMatchObject({ ...msi, localMode: false, host: '0.0.0.0' });
    expect(config.MicrosoftAppPassword).toBeUndefined();
  });

  it.each([
    [{ ...msi, MicrosoftAppId: '' }, 'MicrosoftAppId', /ID client de l'identité managée/],
    [{ ...msi, MicrosoftAppTenantId: '' }, 'MicrosoftAppTenantId', /locataire/],
    [{ ...msi, MicrosoftAppPassword: 'un-secret' }, 'MicrosoftAppPassword', /à laisser vide/],
  ])('%o est refusé en nommant %s', (env, variable, reason) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problem = (err as ConfigError).problems.find((p) => p.variable === variable);
      expect(problem?.message).toMatch(reason);
      expect((err as Error).message).not.toContain('un-secret');
    }
  });
});

describe('Règle : un bot régional parle au Direct Line de sa région', () => {
  it.each([
    ['europe.directline.botframework.com', 'https://europe.directline.botframework.com/v3/directline'],
    [
      'https://europe.directline.botframework.com',
      'https://europe.directline.botframework.com/v3/directline',
    ],
    [
      'https://europe.directline.botframework.com/v3/directline/',
      'https://europe.directline.botframework.com/v3/directline',
    ],
    ['directline.botframework.com', 'https://directline.botframework.com/v3/directline'],
  ])('DIRECT_LINE_DOMAIN=%s devient %s', (value, domain) => {
    expect(loadConfig({ DIRECT_LINE_DOMAIN: value }).DIRECT_LINE_DOMAIN).toBe(domain);
  });

  it('sans DIRECT_LINE_DOMAIN, rien n’est imposé (le Direct Line mondial)', () => {
    expect(loadConfig({ DIRECT_LINE_DOMAIN: '' }).DIRECT_LINE_DOMAIN).toBeUndefined();
  });

  it.each([
    'http://europe.directline.botframework.com',
    'europe.directline.botframework.com.attaquant.fr',
    'botframework.com.example',
    'https://europe.directline.botframework.com:8443',
    'https://europe.directline.botframework.com/v3/autre',
    'https://europe.directline.botframework.com/v3/directline?x=1',
  ])('DIRECT_LINE_DOMAIN=%s est refusé', (value) => {
    expect(() => loadConfig({ DIRECT_LINE_DOMAIN: value })).toThrow(
      /DIRECT_LINE_DOMAIN: nom ou adresse https d’un hôte \*\.botframework\.com attendu/,
    );
  });
});

describe('Règle : Application Insights ne s’active qu’avec sa chaîne de connexion', () => {
  it('absente par défaut, acceptée quand elle a une InstrumentationKey', () => {
    expect(loadConfig({}).APPLICATIONINSIGHTS_CONNECTION_STRING).toBeUndefined();
    const cs =
      'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
    expect(
      loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: cs }).APPLICATIONINSIGHTS_CONNECTION_STRING,
    ).toBe(cs);
  });

  it('une valeur qui n’en est pas une est refusée', () => {
    expect(() => loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'oui' })).toThrow(
      /APPLICATIONINSIGHTS_CONNECTION_STRING: chaîne de connexion Application Insights attendue/,
    );
  });
});
