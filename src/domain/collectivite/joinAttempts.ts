export interface JoinAttemptOptions {
  /** Wrong codes allowed before the first wait. */
  freeFailures: number;
  /** The first wait; each further wrong code doubles it, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A key with no wrong code for this long starts again from zero. */
  forgetAfterMs: number;
  /** Keys remembered at most (the oldest are forgotten first). */
  maxKeys: number;
}

export const joinAttemptDefaults: JoinAttemptOptions = {
  freeFailures: 5,
  firstDelayMs: 10_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxKeys: 10_000,
};

interface Failures {
  count: number;
  last: number;
  blockedUntil: number;
}

export type JoinAttemptCheck = { ok: true } | { ok: false; retryInSeconds: number };

/**
 * Slows down guessing of join codes: after a few wrong codes, each further try waits, twice as long each time. The
 * keys are whatever identifies who guesses (the person, the conversation); the longest wait of them applies.
 */
export class JoinAttemptLimiter {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly options: JoinAttemptOptions = joinAttemptDefaults,
    private readonly now: () => number = Date.now,
  ) {}

  check(keys: readonly string[]): JoinAttemptCheck {
    const now = this.now();
    const until = Math.max(0, ...keys.map((key) => this.failures.get(key)?.blockedUntil ?? 0));
    return until > now ? { ok: false, retryInSeconds: Math.ceil((until - now) / 1000) } : { ok: true };
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.now();
    const { freeFailures, firstDelayMs, maxDelayMs, forgetAfterMs } = this.options;
    for (const key of keys) {
      const previous = this.failures.get(key);
      const count = previous && now - previous.last < forgetAfterMs ? previous.count + 1 : 1;
      const over = count - freeFailures;
      const delay = over > 0 ? Math.min(maxDelayMs, firstDelayMs * 2 ** (over - 1)) : 0;
      this.failures.delete(key);
      this.failures.set(key, { count, last: now, blockedUntil: now + delay });
    }
    this.forgetOldest();
  }

  recordSuccess(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private forgetOldest(): void {
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.options.maxKeys) return;
      this.failures.delete(key);
    }
  }
}

/** « Trop de codes erronés… » with the wait in words a person reads at a glance. */
export function joinWaitMessage(
  retryInSeconds: number,
  kind: 'invitation' | 'reprise' = 'invitation',
): string {
  const minutes = Math.ceil(retryInSeconds / 60);
  const wait =
    retryInSeconds < 60
      ? `${retryInSeconds} seconde${retryInSeconds > 1 ? 's' : ''}`
      : `${minutes} minute${minutes > 1 ? 's' : ''}`;
  const check =
    kind === 'invitation'
      ? "Vérifiez le code auprès du collègue qui vous l'a donné (il ressemble à K7QF-M2XP-9R)."
      : 'Vérifiez le code sur l’appareil où vous avez commencé (« code de reprise »).';
  return `Trop de codes erronés d'affilée : par sécurité, réessayez dans ${wait}. ${check}`;
}
