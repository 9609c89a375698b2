import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a Direct Line token grants: one conversation, for one user, until `exp` (seconds since epoch). */
export interface TokenClaims {
  conv: string;
  user: string;
  exp: number;
  iat: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' };

const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const issuer = 'assistant-maturite/directline';

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * HS256 JSON Web Tokens, so that `botframework-directlinejs` and Web Chat read the user id from the `user`
 * claim exactly as they do with Azure Direct Line tokens. The key is random per process unless one is given:
 * conversations live in memory, so a restart ends them and their tokens together.
 */
export class TokenSigner {
  private readonly key: Buffer;

  constructor(
    key: Buffer = randomBytes(32),
    readonly lifetimeSeconds = 1800,
    private readonly now: () => number = Date.now,
  ) {
    if (key.length < 32) throw new Error('directline: the token key needs at least 32 bytes');
    this.key = key;
  }

  sign(conv: string, user: string): string {
    const iat = Math.floor(this.now() / 1000);
    const payload = base64url(
      JSON.stringify({ iss: issuer, conv, user, iat, exp: iat + this.lifetimeSeconds }),
    );
    return `${header}.${payload}.${this.mac(`${header}.${payload}`)}`;
  }

  verify(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== header) return { ok: false, reason: 'malformed' };
    const [, payload = '', signature = ''] = parts;
    const expected = Buffer.from(this.mac(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'signature' };
    let claims: Partial<TokenClaims> & { iss?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (
      claims.iss !== issuer ||
      typeof claims.conv !== 'string' ||
      typeof claims.user !== 'string' ||
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number'
    ) {
      return { ok: false, reason: 'malformed' };
    }
    if (claims.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { conv: claims.conv, user: claims.user, exp: claims.exp, iat: claims.iat } };
  }

  private mac(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

/** `Authorization: Bearer <token>` → the token. */
export function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

/** A new random id, URL-safe: conversation ids, user ids. */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** User ids that Direct Line reserves for ids embedded in tokens (`dl_`), as the browser keeps them in localStorage. */
export const userIdPattern = /^dl_[A-Za-z0-9_-]{16,64}$/;

export function newUserId(): string {
  return `dl_${randomId(18)}`;
}
