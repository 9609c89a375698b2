import { randomBytes, randomUUID } from 'node:crypto';
import {
  createAssessment,
  nextIndicator,
  recordAnswer,
  recordQuantity,
  skipIndicator,
} from '../assessment/assessment.js';
import type { MaturityReferential } from '../referential/load.js';
import type { Collectivite, CollectiviteType, TerritoryTrait } from '../collectivite/collectivite.js';
import { recordKeys, respondentView, type Diagnostic } from '../records/diagnostic.js';
import { updateRecord, type RecordStore } from '../records/recordStore.js';
import type { AnswerValue } from '../scoring/answers.js';
import type { Scope } from '../scoring/scope.js';

/** What is kept about one person: where they are, which collectivités and diagnostics they took part in. */
export interface Respondent {
  id: string;
  tenantId?: string;
  activeDiagnosticId?: string;
  collectiviteIds: string[];
  diagnosticIds: string[];
  /** The personal resume code (src/domain/identity/resumeCode.ts), and the devices linked with it. */
  resumeCode?: string;
  linkedDevices?: string[];
  createdAt: string;
  lastSeenAt: string;
}

export class NotFoundError extends Error {
  constructor(readonly key: string) {
    super(`records: ${key} not found`);
    this.name = 'NotFoundError';
  }
}

/** Someone tried to change a diagnostic they neither own nor joined (with a collectivité's code). */
export class NotARespondentError extends Error {
  constructor(
    readonly diagnosticId: string,
    readonly respondentId: string,
  ) {
    super(`records: ${respondentId} may not answer diagnostic ${diagnosticId}`);
    this.name = 'NotARespondentError';
  }
}

export const newReportId = (): string => randomBytes(24).toString('base64url');

/** A copy of the list with `item` at the end, unless it is there already. */
export const addOnce = <T>(list: readonly T[], item: T): T[] =>
  list.includes(item) ? [...list] : [...list, item];

/** Use cases of the diagnostic: every change is read-modify-write with eTags, retried on conflict. */
export class DiagnosticService {
  constructor(
    readonly store: RecordStore,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  async respondent(id: string): Promise<Respondent | undefined> {
    return (await this.store.read<Respondent>(recordKeys.respondent(id)))?.value;
  }

  async touchRespondent(
    id: string,
    tenantId?: string,
    change: (r: Respondent) => Respondent = (r) => r,
  ): Promise<Respondent> {
    const now = this.now();
    return updateRecord<Respondent>(this.store, recordKeys.respondent(id), (current) =>
      change({
        ...(current ?? { id, collectiviteIds: [], diagnosticIds: [], createdAt: now }),
        ...(tenantId ? { tenantId } : {}),
        lastSeenAt: now,
      }),
    );
  }

  async diagnostic(id: string): Promise<Diagnostic | undefined> {
    return (await this.store.read<Diagnostic>(recordKeys.diagnostic(id)))?.value;
  }

  async collectivite(id: string): Promise<Collectivite | undefined> {
    return (await this.store.read<Collectivite>(recordKeys.collectivite(id)))?.value;
  }

  async activeDiagnostic(respondentId: string): Promise<Diagnostic | undefined> {
    const respondent = await this.respondent(respondentId);
    return respondent?.activeDiagnosticId ? this.diagnostic(respondent.activeDiagnosticId) : undefined;
  }

  /** The most recent diagnostic of this person that still has questions to answer (the active one first). */
  async resumableDiagnostic(
    respondentId: string,
    referential: MaturityReferential,
  ): Promise<Diagnostic | undefined> {
    const respondent = await this.respondent(respondentId);
    if (!respondent) return undefined;
    const ids = [respondent.activeDiagnosticId, ...[...respondent.diagnosticIds].reverse()].filter(
      (id, i, all): id is string => id !== undefined && all.indexOf(id) === i,
    );
    for (const id of ids.slice(0, 10)) {
      const diagnostic = await this.diagnostic(id);
      if (diagnostic && nextIndicator(referential, respondentView(diagnostic, respondentId)))
        return diagnostic;
    }
    const active = respondent.activeDiagnosticId
      ? await this.diagnostic(respondent.activeDiagnosticId)
      : undefined;
    return active;
  }

  async createCollectivite(
    respondentId: string,
    input: { name: string; type: CollectiviteType; traits: TerritoryTrait[]; tenantId?: string },
  ): Promise<Collectivite> {
    const now = this.now();
    const collectivite: Collectivite = {
      id: randomUUID(),
      name: input.name,
      type: input.type,
      traits: input.traits,
      ...(input.tenantId ? { tenantId: input.tenantId } : {}),
      members: [respondentId],
      diagnosticIds: [],
      createdAt: now,
      updatedAt: now,
    };
    await this.store.write(recordKeys.collectivite(collectivite.id), collectivite, undefined);
    await this.touchRespondent(respondentId, input.tenantId, (r) => ({
      ...r,
      collectiviteIds: addOnce(r.collectiviteIds, collectivite.id),
    }));
    return collectivite;
  }

  async startDiagnostic(respondentId: string, scope: Scope, collectiviteId?: string): Promise<Diagnostic> {
    const now = this.now();
    const diagnostic: Diagnostic = {
      ...createAssessment(randomUUID(), scope, now),
      ...(collectiviteId ? { collectiviteId } : {}),
      ownerId: respondentId,
      respondents: [respondentId],
      byRespondent: {},
    };
    await this.store.write(recordKeys.diagnostic(diagnostic.id), diagnostic, undefined);
    if (collectiviteId) {
      await this.updateCollectivite(collectiviteId, (c) => ({
        ...c,
        diagnosticIds: addOnce(c.diagnosticIds, diagnostic.id),
        updatedAt: now,
      }));
    }
    await this.touchRespondent(respondentId, undefined, (r) => ({
      ...r,
      activeDiagnosticId: diagnostic.id,
      diagnosticIds: addOnce(r.diagnosticIds, diagnostic.id),
    }));
    return diagnostic;
  }

  async setActiveDiagnostic(respondentId: string, diagnosticId: string | undefined): Promise<void> {
    await this.touchRespondent(respondentId, undefined, (r) => {
      const { activeDiagnosticId: _old, ...rest } = r;
      return diagnosticId
        ? { ...rest, activeDiagnosticId: diagnosticId, diagnosticIds: addOnce(r.diagnosticIds, diagnosticId) }
        : rest;
    });
  }

  /** Whether this person may answer the diagnostic: they started it, or they are a member of its collectivité. */
  async mayAnswer(diagnostic: Diagnostic, respondentId: string): Promise<boolean> {
    if (diagnostic.ownerId === respondentId || diagnostic.respondents.includes(respondentId)) return true;
    if (!diagnostic.collectiviteId) return false;
    return (await this.collectivite(diagnostic.collectiviteId))?.members.includes(respondentId) ?? false;
  }

  /**
   * `change` applied to the diagnostic as this person: refused (`NotARespondentError`) unless they may answer it. The
   * check is made on the record being updated; a colleague's first answer also reads the collectivité.
   */
  private async updateAsRespondent(
    diagnosticId: string,
    respondentId: string,
    change: (d: Diagnostic) => Diagnostic,
  ): Promise<Diagnostic> {
    try {
      return await this.updateDiagnostic(diagnosticId, (d) => {
        if (d.ownerId !== respondentId && !d.respondents.includes(respondentId))
          throw new NotARespondentError(diagnosticId, respondentId);
        return change(d);
      });
    } catch (err) {
      if (!(err instanceof NotARespondentError)) throw err;
      const diagnostic = await this.diagnostic(diagnosticId);
      if (!diagnostic || !(await this.mayAnswer(diagnostic, respondentId))) throw err;
      return this.updateDiagnostic(diagnosticId, change);
    }
  }

  async answer(
    diagnosticId: string,
    respondentId: string,
    indicator: number,
    value: AnswerValue,
    quantities?: Record<string, number>,
  ): Promise<Diagnostic> {
    const at = this.now();
    return this.updateAsRespondent(diagnosticId, respondentId, (d) => ({
      ...recordAnswer(d, indicator, value, { at, by: respondentId, ...(quantities ? { quantities } : {}) }),
      respondents: addOnce(d.respondents, respondentId),
      byRespondent: {
        ...d.byRespondent,
        [respondentId]: { ...d.byRespondent[respondentId], [indicator]: value },
      },
    }));
  }

  async quantity(
    diagnosticId: string,
    respondentId: string,
    indicator: number,
    quantityId: string,
    value: number,
  ): Promise<Diagnostic> {
    const at = this.now();
    return this.updateAsRespondent(diagnosticId, respondentId, (d) =>
      recordQuantity(d, indicator, quantityId, value, at),
    );
  }

  async skip(diagnosticId: string, respondentId: string, indicator: number): Promise<Diagnostic> {
    const at = this.now();
    return this.updateAsRespondent(diagnosticId, respondentId, (d) => skipIndicator(d, indicator, at));
  }

  /** Marks the diagnostic finished and gives it its unguessable report id (kept if it already has one). */
  async finish(diagnosticId: string): Promise<Diagnostic> {
    const at = this.now();
    const reportId = newReportId();
    const diagnostic = await this.updateDiagnostic(diagnosticId, (d) => ({
      ...d,
      finishedAt: d.finishedAt ?? at,
      reportId: d.reportId ?? reportId,
      updatedAt: at,
    }));
    if (diagnostic.reportId === reportId) {
      await this.store.write(recordKeys.report(reportId), { diagnosticId }, undefined);
    }
    return diagnostic;
  }

  async diagnosticByReportId(reportId: string): Promise<Diagnostic | undefined> {
    if (!/^[A-Za-z0-9_-]{32}$/.test(reportId)) return undefined;
    const pointer = await this.store.read<{ diagnosticId: string }>(recordKeys.report(reportId));
    return pointer ? this.diagnostic(pointer.value.diagnosticId) : undefined;
  }

  updateDiagnostic(id: string, change: (d: Diagnostic) => Diagnostic): Promise<Diagnostic> {
    return updateRecord<Diagnostic>(this.store, recordKeys.diagnostic(id), (current) => {
      if (!current) throw new NotFoundError(recordKeys.diagnostic(id));
      return change(current);
    });
  }

  updateCollectivite(id: string, change: (c: Collectivite) => Collectivite): Promise<Collectivite> {
    return updateRecord<Collectivite>(this.store, recordKeys.collectivite(id), (current) => {
      if (!current) throw new NotFoundError(recordKeys.collectivite(id));
      return change(current);
    });
  }
}
