export const azureDirectLineDomain = 'https://directline.botframework.com/v3/directline';

export interface AzureToken {
  conversationId: string;
  token: string;
  expiresIn: number;
}

export class AzureDirectLineError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AzureDirectLineError';
  }
}

/**
 * Exchanges the Direct Line secret for a token bound to one new conversation and to `userId`
 * (`POST {domain}/tokens/generate`). The secret stays on the server.
 */
export async function generateAzureToken(
  domain: string,
  secret: string,
  userId: string,
  timeoutMs = 10_000,
): Promise<AzureToken> {
  let response: Response;
  try {
    response = await fetch(`${domain}/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new AzureDirectLineError(`directline: Azure Direct Line unreachable (${(err as Error).name})`);
  }
  if (!response.ok) {
    throw new AzureDirectLineError(
      `directline: Azure Direct Line answered ${response.status}`,
      response.status,
    );
  }
  const body = (await response.json().catch(() => ({}))) as Partial<{
    conversationId: unknown;
    token: unknown;
    expires_in: unknown;
  }>;
  if (typeof body.token !== 'string' || typeof body.conversationId !== 'string') {
    throw new AzureDirectLineError('directline: Azure Direct Line sent no token');
  }
  return {
    conversationId: body.conversationId,
    token: body.token,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 1800,
  };
}
