import { isIP } from 'node:net';
import { z } from 'zod';

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** An optional e-mail address (legal pages' contacts). */
const optionalEmail = optional.pipe(
  z.email({ message: 'adresse e-mail attendue, par ex. contact@exemple.fr' }).optional(),
);

/** An optional http(s) address (legal pages' links). */
const optionalUrl = optional.pipe(
  z
    .url({
      protocol: /^https?$/,
      message: 'URL http(s) attendue, par ex. https://www.exemple.fr/accessibilite',
    })
    .optional(),
);

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

/** Which peers may say, in `X-Forwarded-For`, whom a request comes from: the nearest `hops` proxies, or these addresses. */
export type TrustProxy = { hops: number } | { addresses: string[] };

const maxHops = 16;

const isAddressOrRange = (entry: string): boolean => {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};

const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx): TrustProxy => {
    if (!value) return { hops: 0 };
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= maxHops) return { hops };
      ctx.addIssue({
        code: 'custom',
        message: `${maxHops} relais au plus / at most ${maxHops} hops`,
      });
      return z.NEVER;
    }
    const addresses = value.split(',').map((entry) => entry.trim());
    const wrong = addresses.find((entry) => !isAddressOrRange(entry));
    if (wrong !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          `« ${wrong} » n'est ni un nombre de relais ni une adresse IP (ex. 1, ou 10.0.0.4, 10.1.0.0/16) / ` +
          'a hop count or a comma-separated list of IP addresses or ranges',
      });
      return z.NEVER;
    }
    return { addresses };
  });

const parsedUrl = (value: string): URL | undefined => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

/** `https://<account>.blob.core.windows.net`: no query string, which would be a SAS (a secret: never echoed). */
const blobAccountUrl = optional.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const url = parsedUrl(value);
  if (!url || url.protocol !== 'https:' || url.search || url.hash || url.username || url.password) {
    ctx.addIssue({
      code: 'custom',
      message:
        'adresse https du compte de stockage attendue, sans « ? » (pas de jeton SAS), par ex. https://moncompte.blob.core.windows.net / ' +
        'https account URL expected, without a query string (no SAS token)',
    });
    return z.NEVER;
  }
  return url.href.replace(/\/+$/, '');
});

/** The Direct Line base of a regional bot: a `*.botframework.com` host name or https URL, as `https://<host>/v3/directline`. */
const directLineDomain = optional.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const url = parsedUrl(value.includes('://') ? value : `https://${value}`);
  const path = url?.pathname.replace(/\/+$/, '');
  if (
    !url ||
    url.protocol !== 'https:' ||
    !/^([a-z0-9-]+\.)+botframework\.com$/.test(url.hostname) ||
    url.port ||
    url.search ||
    url.hash ||
    (path !== '' && path !== '/v3/directline')
  ) {
    ctx.addIssue({
      code: 'custom',
      message:
        'nom ou adresse https d’un hôte *.botframework.com attendu, par ex. europe.directline.botframework.com / ' +
        'a *.botframework.com host name or https URL',
    });
    return z.NEVER;
  }
  return `https://${url.hostname}/v3/directline`;
});

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: optional,
    DATA_DIR: z.string().trim().min(1).default('./data'),
    STORAGE: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(['lowdb', 'blob', 'memory']).default('lowdb'),
    ),
    BLOB_CONNECTION_STRING: optional,
    BLOB_ACCOUNT_URL: blobAccountUrl,
    BLOB_CONTAINER: optional,
    MicrosoftAppType: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    ),
    MicrosoftAppId: optional,
    MicrosoftAppPassword: optional,
    MicrosoftAppTenantId: optional,
    DIRECT_LINE_SECRET: optional,
    DIRECT_LINE_DOMAIN: directLineDomain,
    APPLICATIONINSIGHTS_CONNECTION_STRING: optional.refine(
      (v) => v === undefined || /instrumentationkey=/i.test(v),
      {
        message:
          'chaîne de connexion Application Insights attendue (InstrumentationKey=…;IngestionEndpoint=…) / ' +
          'an Application Insights connection string',
      },
    ),
    PUBLIC_URL: z
      .string()
      .trim()
      .transform((v) => (v === '' ? undefined : v.replace(/\/+$/, '')))
      .pipe(
        z
          .url({
            protocol: /^https?$/,
            message: 'URL http(s) attendue, par ex. https://assistant.exemple.fr',
          })
          .optional(),
      )
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    REFERENTIAL_DIR: optional,
    RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(730),
    TRUST_PROXY: trustProxy,
    // The legal pages (/mentions-legales, /confidentialite, /accessibilite): src/channels/web/legalPages.ts
    LEGAL_PUBLISHER: optional,
    LEGAL_PUBLISHER_ADDRESS: optional,
    LEGAL_PUBLISHER_PHONE: optional,
    LEGAL_DIRECTOR: optional,
    LEGAL_HOST: optional,
    LEGAL_HOST_ADDRESS: optional,
    LEGAL_HOST_PHONE: optional,
    LEGAL_CONTACT_EMAIL: optionalEmail,
    LEGAL_DPO_EMAIL: optionalEmail,
    LEGAL_BASIS: optional,
    LEGAL_ACCESSIBILITY_PLAN_URL: optionalUrl,
  })
  .superRefine((c, ctx) => {
    if (c.STORAGE === 'blob') {
      if (!c.BLOB_CONTAINER) {
        ctx.addIssue({ code: 'custom', path: ['BLOB_CONTAINER'], message: 'obligatoire quand STORAGE=blob' });
      }
      if (!c.BLOB_CONNECTION_STRING === !c.BLOB_ACCOUNT_URL) {
        ctx.addIssue({
          code: 'custom',
          path: [c.BLOB_CONNECTION_STRING ? 'BLOB_ACCOUNT_URL' : 'BLOB_CONNECTION_STRING'],
          message:
            'avec STORAGE=blob, renseignez soit BLOB_CONNECTION_STRING, soit BLOB_ACCOUNT_URL (identité managée), ' +
            'pas les deux / set exactly one of BLOB_CONNECTION_STRING and BLOB_ACCOUNT_URL (managed identity)',
        });
      }
    }
    if (c.MicrosoftAppType === 'UserAssignedMSI') {
      for (const key of ['MicrosoftAppId', 'MicrosoftAppTenantId'] as const) {
        if (!c[key]) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message:
              key === 'MicrosoftAppId'
                ? "obligatoire quand MicrosoftAppType=UserAssignedMSI : l'ID client de l'identité managée / " +
                  "required: the managed identity's client id"
                : "obligatoire quand MicrosoftAppType=UserAssignedMSI : l'ID du locataire (tenant) / required: the tenant id",
          });
        }
      }
      if (c.MicrosoftAppPassword) {
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppPassword'],
          message:
            "à laisser vide quand MicrosoftAppType=UserAssignedMSI (l'identité managée n'a pas de mot de passe) / " +
            'must be empty with a managed identity',
        });
      }
    }
    if (c.MicrosoftAppId && !c.MicrosoftAppPassword && c.MicrosoftAppType !== 'UserAssignedMSI') {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'obligatoire quand MicrosoftAppId est renseigné',
      });
    }
    if (c.MicrosoftAppType === 'SingleTenant' && !c.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: 'obligatoire quand MicrosoftAppType=SingleTenant',
      });
    }
    if (!c.MicrosoftAppId && c.HOST && !loopback.has(c.HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message:
          "sans identifiants d'application (MicrosoftAppId), le serveur est en mode local et n'écoute que sur 127.0.0.1 / " +
          'local mode (no app credentials) listens on loopback only',
      });
    }
  });

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends RawConfig {
  /** No app credentials: the Emulator, expectReplies and the local Direct Line work without authentication. */
  localMode: boolean;
  host: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'config: invalid environment / configuration invalide :\n' +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '?'),
        message: issue.message,
      })),
    );
  }
  const localMode = !parsed.data.MicrosoftAppId;
  return {
    ...parsed.data,
    localMode,
    host: parsed.data.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
  };
}
