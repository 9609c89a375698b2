import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { startTelemetry, type Telemetry } from '../../src/telemetry/start.js';
import { useTempDirs } from '../storage/tempDir.js';
import { createTestBot } from '../helpers/testBot.js';

const newDir = useTempDirs('telemetry');

// What must never leave the process: who, in which conversation, what they typed.
const userId = 'utilisateur-secret-42';
const userName = 'Alice Secrète';
const conversationId = 'conversation-secrete-7';
const typedText = 'Notre commune Trifouilly-les-Oies a un élu référent';
const person: Partial<Activity> = {
  from: { id: userId, name: userName },
  conversation: { id: conversationId } as Activity['conversation'],
};

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const metricReader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
let telemetry: Telemetry | undefined;

beforeAll(async () => {
  telemetry = await startTelemetry(
    // nothing listens on port 9: what Application Insights would receive is read here in memory instead
    {
      APPLICATIONINSIGHTS_CONNECTION_STRING:
        'InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=https://127.0.0.1:9/',
    },
    createLogger('silent'),
    { spanProcessors: [new SimpleSpanProcessor(spans)], metricReaders: [metricReader] },
  );
});

afterAll(async () => {
  await telemetry?.stop();
});

interface Point {
  attributes: Record<string, unknown>;
  value: unknown;
}

async function exportedMetrics(): Promise<Map<string, Point[]>> {
  await metricReader.forceFlush();
  const byName = new Map<string, Point[]>();
  for (const resource of metricExporter.getMetrics())
    for (const scope of resource.scopeMetrics)
      for (const metric of scope.metrics)
        byName.set(metric.descriptor.name, metric.dataPoints as unknown as Point[]);
  return byName;
}

describe('Application Insights, with APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
  it('records each turn of the real bot: count and latency per dialog, failures by error class, nothing personal', async () => {
    expect(telemetry).toBeDefined();
    const directory = join(await newDir(), 'state');
    const bot = createTestBot({ storage: new LowdbStorage(directory) });

    await bot.say('diagnostic rapide', person);
    await bot.say('oui', person);
    await bot.say(typedText, person);
    // the storage disappears: the next answer cannot be saved
    await rm(directory, { recursive: true });
    await writeFile(directory, '');
    const failed = await bot.say('non', person);
    expect(failed.text).toMatch(/Désolé/);

    const finished = spans.getFinishedSpans();
    // the failed turn could not even read the dialog state: no dialog ran
    expect(finished.map((span) => span.name)).toEqual([...Array(3).fill('turn diagnostic'), 'turn none']);
    expect(finished.map((span) => span.attributes['assistant.outcome'])).toEqual(['ok', 'ok', 'ok', 'error']);
    expect(finished[3]!.attributes).toMatchObject({ 'assistant.dialog': 'none', 'error.type': 'Error' });
    expect(finished[3]!.status).toEqual({ code: 2 }); // ERROR, without a message
    expect(finished[0]!.attributes).toMatchObject({
      'assistant.dialog': 'diagnostic',
      'assistant.channel': 'test',
      'assistant.activity_type': 'message',
      'assistant.outcome': 'ok',
    });
    // ours, and the marker Azure Monitor's standard metrics add: nothing else
    for (const span of finished)
      for (const key of Object.keys(span.attributes))
        expect(key).toMatch(/^(assistant\.|error\.type$|_MS\.)/);

    const metrics = await exportedMetrics();
    const counts = metrics.get('assistant.turns')!;
    expect(counts.map((p) => [p.attributes['assistant.outcome'], p.value])).toEqual(
      expect.arrayContaining([
        ['ok', 3],
        ['error', 1],
      ]),
    );
    const durations = metrics.get('assistant.turn.duration')!;
    const ok = durations.find((p) => p.attributes['assistant.outcome'] === 'ok')!;
    expect(ok.attributes['assistant.dialog']).toBe('diagnostic');
    expect(ok.value).toMatchObject({ count: 3, sum: expect.any(Number) });
    expect((ok.value as { sum: number }).sum).toBeGreaterThan(0);

    const everything = JSON.stringify({
      spans: finished.map(({ name, attributes, events, status, links }) => ({
        name,
        attributes,
        events,
        status,
        links,
      })),
      metrics: [...metrics],
    });
    for (const secret of [userId, userName, conversationId, typedText, 'Trifouilly', 'rapide'])
      expect(everything).not.toContain(secret);
  });

  it('sends no automatic HTTP spans (URLs hold conversation ids, storage keys and report links)', async () => {
    spans.reset();
    // required after telemetry started, as the instrumentation expects (require-in-the-middle)
    const { createServer, get } = createRequire(import.meta.url)('node:http') as typeof import('node:http');
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) =>
      get(`http://127.0.0.1:${port}/v3/conversations/${conversationId}`, (res) =>
        res.resume().on('end', resolve),
      ),
    );
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(spans.getFinishedSpans()).toEqual([]);
  });
});
