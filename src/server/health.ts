import type { Server } from 'restify';

/** `GET /healthz` — liveness: the process answers. It checks nothing else; readiness (the storage) is `/readyz`. */
export function registerHealth(server: Server, info: () => Record<string, unknown>): void {
  server.get('/healthz', (_req, res, next) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()), ...info() });
    return next();
  });
}
