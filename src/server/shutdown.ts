import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Server } from 'restify';

export const shutdownLimits = {
  /** How long requests in flight may take to finish once the process is asked to stop. */
  graceMs: 10_000,
  /** How long nothing must be in flight before the listener closes: what the kernel had queued is read meanwhile. */
  quietMs: 100,
  pollMs: 10,
};

/**
 * Lets `server` finish what it was asked before it stops: requests in flight are answered, and so are those the
 * kernel had already queued (the listener stays open until nothing has been in flight, nor `busy()`, for
 * `quietMs`); every answer from now on closes its connection. Returns false when `graceMs` ran out first.
 * The listener itself is closed by `closeServer`.
 */
export async function drain(server: Server, busy: () => boolean = () => false): Promise<boolean> {
  const closeAfterAnswer = (_req: IncomingMessage, res: ServerResponse) =>
    res.setHeader('Connection', 'close');
  server.server.prependListener('request', closeAfterAnswer);
  const deadline = Date.now() + shutdownLimits.graceMs;
  let quietSince: number | undefined;
  while (Date.now() < deadline) {
    if (server.inflightRequests() > 0 || busy()) quietSince = undefined;
    else if (Date.now() - (quietSince ??= Date.now()) >= shutdownLimits.quietMs) return true;
    await sleep(shutdownLimits.pollMs);
  }
  return false;
}

/** Closes the listener and every connection still open (idle ones, or requests `drain` gave up on). */
export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.server.closeAllConnections();
  await closed;
}
