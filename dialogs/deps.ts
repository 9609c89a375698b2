import type { TurnContext } from 'botbuilder';
import type { DiagnosticService } from '../src/domain/diagnostics/service.js';
import type { Diagnostic } from '../src/domain/records/diagnostic.js';
import type { Referentials } from '../src/domain/referential/load.js';
import type { MaturityResult } from '../src/domain/scoring/scoring.js';
import type { Logger } from '../src/log.js';

/** What the dialogs need from the application: the referential, the use cases, and how to reach the server. */
export interface DialogDeps {
  referentials: Referentials;
  service: DiagnosticService;
  logger: Logger;
  /** Absolute base URL for links in cards (PUBLIC_URL, or the server's own address). */
  publicUrl(context: TurnContext): string;
  /** The results chart for a card: an URL, or a small data URI. */
  chart?(
    result: MaturityResult,
    diagnostic: Diagnostic,
    baseUrl: string,
    collectiviteName?: string,
  ): Promise<{ url: string; alt: string } | undefined>;
}
