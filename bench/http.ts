import { Agent, request } from 'node:http';

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** Only this machine is ever a target of the benchmark. */
export function assertLoopback(url: string): URL {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'ws:')
    throw new Error(`bench: plain http only, not ${url}`);
  if (parsed.hostname !== '127.0.0.1')
    throw new Error(`bench: 127.0.0.1 targets only, not ${parsed.hostname}`);
  return parsed;
}

/** A keep-alive client: one agent per simulated crowd, sockets reused from one turn to the next. */
export class HttpClient {
  readonly agent: Agent;

  constructor(maxSockets = 64) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
  }

  post<T>(
    url: string,
    body: unknown,
    headers: Record<string, string> = {},
    timeoutMs = 30_000,
  ): Promise<JsonResponse<T>> {
    return this.send<T>('POST', url, JSON.stringify(body), headers, timeoutMs);
  }

  get<T>(url: string, timeoutMs = 5_000): Promise<JsonResponse<T>> {
    return this.send<T>('GET', url, undefined, {}, timeoutMs);
  }

  close(): void {
    this.agent.destroy();
  }

  private send<T>(
    method: string,
    url: string,
    payload: string | undefined,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<JsonResponse<T>> {
    const target = assertLoopback(url);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          method,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          agent: this.agent,
          headers: {
            ...(payload !== undefined
              ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
              : {}),
            ...headers,
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text for the error message
            }
            resolve({ status: res.statusCode ?? 0, body: body as T, headers: res.headers });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`bench: ${method} ${target.pathname} timed out after ${timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}
