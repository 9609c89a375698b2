import { randomUUID } from 'node:crypto';
import type { Storage } from 'botbuilder';
import type { Server } from 'restify';
import type { Logger } from '../log.js';

/** The record /readyz overwrites at each check: nothing else reads it (retention and erasure go by prefix). */
export const readyKey = 'health/ready';

type Outcome = { ok: true } | { ok: false; reason: string; err?: unknown };

/**
 * `GET /readyz` — readiness, beside `/healthz` (liveness): the storage can be written and read back, within
 * `timeoutMs`. 200 `{ ok: true, storage }`, or 503 `{ ok: false, storage, reason }` with a French / English reason
 * (the error itself goes to the log). Checks that arrive while one runs share its outcome.
 */
export function registerReady(
  server: Server,
  options: { storage: Storage; kind: string; logger: Logger; timeoutMs?: number },
): void {
  const { storage, kind, logger, timeoutMs = 5_000 } = options;
  let running: Promise<Outcome> | undefined;

  server.get('/readyz', async (_req, res) => {
    running ??= writeAndReadBack(storage).finally(() => (running = undefined));
    const outcome = await withTimeout(running, timeoutMs);
    res.header('Cache-Control', 'no-store');
    if (outcome.ok) {
      res.json(200, { ok: true, storage: kind });
      return;
    }
    logger.warn({ storage: kind, err: summary(outcome.err) }, `readyz: ${outcome.reason}`);
    res.json(503, { ok: false, storage: kind, reason: outcome.reason });
  });
}

async function writeAndReadBack(storage: Storage): Promise<Outcome> {
  const nonce = randomUUID();
  try {
    await storage.write({ [readyKey]: { nonce, checkedAt: new Date().toISOString() } });
    const read = await storage.read([readyKey]);
    if ((read[readyKey] as { nonce?: unknown } | undefined)?.nonce === nonce) return { ok: true };
    return {
      ok: false,
      reason:
        'le stockage relit autre chose que ce qui vient d’y être écrit / storage read back something else',
    };
  } catch (err) {
    return {
      ok: false,
      reason: 'le stockage ne peut pas être écrit ou relu / storage cannot be written or read back',
      err,
    };
  }
}

function withTimeout(check: Promise<Outcome>, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Outcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          reason: `le stockage n’a pas répondu en ${timeoutMs} ms / storage did not answer within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
  });
  return Promise.race([check, late]).finally(() => clearTimeout(timer));
}

/** What the log keeps of a storage error: its name, code and first line (a Blob error may carry a whole XML body). */
function summary(err: unknown): Record<string, unknown> | undefined {
  if (!(err instanceof Error)) return err === undefined ? undefined : { message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message.split('\n')[0], ...(code === undefined ? {} : { code }) };
}
