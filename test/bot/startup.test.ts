import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referentialDir } from '../../src/paths.js';
import { startServer } from '../helpers/server.js';

describe('Règle : un démarrage impossible s’arrête avec un message précis', () => {
  it('un référentiel corrompu arrête le serveur en nommant le fichier, le chemin JSON et le problème', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ref-'));
    cpSync(referentialDir, dir, { recursive: true });
    const maturity = JSON.parse(readFileSync(join(dir, 'maturity.json'), 'utf8'));
    maturity.enjeux[3].prerequis[2].indicators[1].text = '';
    writeFileSync(join(dir, 'maturity.json'), JSON.stringify(maturity));
    const error = await startServer({ env: { REFERENTIAL_DIR: dir } }).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(error).toContain('exited with 3');
    expect(error).toContain(join(dir, 'maturity.json'));
    expect(error).toContain('enjeux[3].prerequis[2].indicators[1].text');
  });

  it('une variable de configuration invalide arrête le serveur en la nommant', async () => {
    const error = await startServer({ env: { STORAGE: 'oracle' } }).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(error).toContain('exited with 2');
    expect(error).toContain('STORAGE');
  });

  it('GET /healthz répond 200 en JSON', async () => {
    const server = await startServer();
    try {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', storage: 'lowdb', mode: 'local' });
    } finally {
      await server.stop();
    }
  });
});
