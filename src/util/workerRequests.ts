import type { Worker } from 'node:worker_threads';

/**
 * Requests to a worker thread, started on first use: each message goes out as `{ id, ...request }` and the worker
 * answers `{ id, result }` or `{ id, error }`. A request resolves to `undefined` when the worker fails, exits or
 * takes longer than the timeout — callers then fall back to doing the work themselves or to an error message. The
 * worker does not keep the process alive.
 */
export class WorkerRequests<Request extends object, Result> {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, (result: Result | undefined) => void>();

  constructor(private readonly create: () => Worker) {}

  start(): Worker {
    if (this.worker) return this.worker;
    const worker = this.create();
    worker.unref();
    worker.on('message', ({ id, result }: { id: number; result?: Result }) => {
      this.pending.get(id)?.(result);
      this.pending.delete(id);
    });
    worker.on('error', () => this.reset(worker));
    worker.on('exit', () => this.reset(worker));
    this.worker = worker;
    return worker;
  }

  request(request: Request, timeoutMs: number): Promise<Result | undefined> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      worker.postMessage({ ...request, id });
    });
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
  }

  private reset(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const resolve of this.pending.values()) resolve(undefined);
    this.pending.clear();
  }
}
