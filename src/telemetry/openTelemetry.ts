import { metrics, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { TurnRecorder } from './turns.js';

const scope = 'assistant-maturite';

/**
 * Turns as OpenTelemetry data, through the global providers (Azure Monitor's, once started): one span per turn
 * (`turn <dialog>`, a request in Application Insights), the counter `assistant.turns` and the histogram
 * `assistant.turn.duration` (ms), labelled by dialog, channel, activity type and outcome. A failed turn carries the
 * error's class name only: its message may quote what the person typed.
 */
export function openTelemetryTurnRecorder(): TurnRecorder {
  const tracer = trace.getTracer(scope);
  const meter = metrics.getMeter(scope);
  const turns = meter.createCounter('assistant.turns', { description: 'Turns handled by the bot' });
  const duration = meter.createHistogram('assistant.turn.duration', {
    description: 'Time from an activity reaching the bot to its replies sent and state saved',
    unit: 'ms',
    advice: { explicitBucketBoundaries: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] },
  });

  return {
    turn: (run, labels) =>
      tracer.startActiveSpan('turn', { kind: SpanKind.SERVER }, async (span) => {
        const startedAt = performance.now();
        let failure: unknown;
        try {
          await run();
        } catch (err) {
          failure = err;
          throw err;
        } finally {
          const { dialog, channel, activityType } = labels();
          const attributes: Attributes = {
            'assistant.dialog': dialog,
            'assistant.channel': channel,
            'assistant.activity_type': activityType,
            'assistant.outcome': failure === undefined ? 'ok' : 'error',
            ...(failure === undefined ? {} : { 'error.type': errorType(failure) }),
          };
          turns.add(1, attributes);
          duration.record(performance.now() - startedAt, attributes);
          span.updateName(`turn ${dialog}`);
          span.setAttributes(attributes);
          if (failure !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
      }),
  };
}

function errorType(err: unknown): string {
  return err instanceof Error && /^[A-Za-z]\w{0,63}$/.test(err.name) ? err.name : 'Error';
}
