import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { nextIndicator, progressOf } from '../src/domain/assessment/assessment.js';
import type { Collectivite } from '../src/domain/collectivite/collectivite.js';
import {
  issueJoinCode,
  joinCollectivite,
  joinRefusalMessages,
  revokeJoinCode,
} from '../src/domain/collectivite/joinCode.js';
import { JoinAttemptLimiter, joinWaitMessage } from '../src/domain/collectivite/joinAttempts.js';
import { checkCollectiviteName } from '../src/domain/collectivite/collectivite.js';
import { compareDiagnostics } from '../src/domain/history/compare.js';
import { disagreements } from '../src/domain/history/consensus.js';
import type { Command } from '../src/domain/language/commands.js';
import { respondentView, type Diagnostic } from '../src/domain/records/diagnostic.js';
import { formatPercent } from '../src/domain/scoring/format.js';
import { plain } from '../cards/template.js';
import type { DialogDeps } from './deps.js';
import { guesserKeys, identityOf } from './identity.js';
import type { RouterExtension } from './routerDialog.js';
import { formatDate } from '../src/reports/format.js';
import { reportLinks } from '../src/reports/reportLinks.js';

const signed = (delta: number | null) =>
  delta === null
    ? 'non comparable'
    : `${delta > 0 ? '+' : delta < 0 ? '−' : ''}${Math.abs(Math.round(delta))} points`;

/** The collectivité's workspace: its report, its progress over time, colleagues invited with a join code. */
export function workspaceExtension(
  deps: DialogDeps,
  joinAttempts: JoinAttemptLimiter = new JoinAttemptLimiter(),
): RouterExtension {
  const { service, referentials } = deps;

  async function currentCollectivite(respondentId: string): Promise<Collectivite | undefined> {
    const active = await service.activeDiagnostic(respondentId);
    const respondent = await service.respondent(respondentId);
    const id = active?.collectiviteId ?? respondent?.collectiviteIds.at(-1);
    const collectivite = id ? await service.collectivite(id) : undefined;
    return collectivite?.members.includes(respondentId) ? collectivite : undefined;
  }

  async function diagnosticsOf(collectivite: Collectivite): Promise<Diagnostic[]> {
    const found = await Promise.all(collectivite.diagnosticIds.map((id) => service.diagnostic(id)));
    return found.filter((d): d is Diagnostic => d !== undefined);
  }

  const say = async (dc: DialogContext, text: string): Promise<DialogTurnResult> => {
    await dc.context.sendActivity(text);
    return Dialog.EndOfTurn;
  };

  const handlers: Partial<
    Record<Command, (dc: DialogContext, argument?: string) => Promise<DialogTurnResult>>
  > = {
    async rapport(dc) {
      const { respondentId } = identityOf(dc.context);
      const respondent = await service.respondent(respondentId);
      const ids = [respondent?.activeDiagnosticId, ...[...(respondent?.diagnosticIds ?? [])].reverse()];
      for (const id of ids) {
        const diagnostic = id ? await service.diagnostic(id) : undefined;
        if (diagnostic?.reportId) {
          const links = reportLinks(diagnostic.reportId, deps.publicUrl(dc.context));
          return say(
            dc,
            `Votre rapport, à partager avec vos élus :\n\n- [Rapport en ligne](${links.page}) (imprimable)\n- [Rapport PDF](${links.pdf})\n- [Réponses en tableur (CSV)](${links.csv})\n- [Données (JSON)](${links.json})\n\nLe lien est personnel : ne le partagez qu'avec les personnes concernées.`,
          );
        }
      }
      return say(
        dc,
        "Vous n'avez pas encore de diagnostic terminé : le rapport est créé à la fin d'un diagnostic.",
      );
    },

    async evolution(dc) {
      const { respondentId } = identityOf(dc.context);
      const collectivite = await currentCollectivite(respondentId);
      if (!collectivite)
        return say(dc, "L'évolution se suit par collectivité : commencez par un « diagnostic complet ».");
      const finished = (await diagnosticsOf(collectivite)).filter((d) => d.finishedAt);
      if (finished.length < 2) {
        return say(
          dc,
          `${plain(collectivite.name)} a ${finished.length} diagnostic terminé. Il en faut deux pour voir l'évolution : refaites le diagnostic complet dans quelques mois.`,
        );
      }
      const [older, newer] = finished.slice(-2) as [Diagnostic, Diagnostic];
      const c = compareDiagnostics(referentials, older, newer);
      const lines = [
        `Évolution de ${plain(collectivite.name)} entre le ${formatDate(c.older.date)} et le ${formatDate(c.newer.date)} :`,
        '',
        `- Score global : ${formatPercent(c.global.from)} → ${formatPercent(c.global.to)} (${signed(c.global.delta)}) ; niveau ${c.level.from ?? 'non évalué'} → ${c.level.to ?? 'non évalué'}.`,
        ...c.enjeux.map(
          (e) =>
            `- Enjeu ${e.number} — ${e.title} : ${formatPercent(e.from)} → ${formatPercent(e.to)} (${signed(e.delta)})`,
        ),
      ];
      if (!c.sameScope)
        lines.push('', 'Attention : les deux diagnostics ne portent pas sur les mêmes indicateurs.');
      if (c.changedAnswers.length > 0) {
        lines.push('', `Indicateurs qui ont changé (${c.changedAnswers.length}) :`);
        for (const a of c.changedAnswers.slice(0, 10)) {
          lines.push(
            `- Indicateur ${a.indicator} : ${a.fromLabel} → ${a.toLabel}${a.direction === 'progres' ? ' (progrès)' : a.direction === 'recul' ? ' (recul)' : ''}`,
          );
        }
        if (c.changedAnswers.length > 10)
          lines.push(`… et ${c.changedAnswers.length - 10} autres, dans le rapport.`);
      }
      return say(dc, lines.join('\n'));
    },

    async desaccords(dc) {
      const { respondentId } = identityOf(dc.context);
      const collectivite = await currentCollectivite(respondentId);
      const latest = collectivite ? (await diagnosticsOf(collectivite)).at(-1) : undefined;
      if (!collectivite || !latest)
        return say(
          dc,
          'La vue consolidée compare les réponses de plusieurs personnes pour une même collectivité : invitez vos collègues avec « inviter ».',
        );
      const list = disagreements(referentials, latest);
      if (latest.respondents.length < 2)
        return say(
          dc,
          `Une seule personne a répondu pour ${plain(collectivite.name)}. Tapez « inviter » pour obtenir un code à partager avec vos collègues.`,
        );
      if (list.length === 0)
        return say(
          dc,
          `Les ${latest.respondents.length} répondants de ${plain(collectivite.name)} sont d'accord sur tous les indicateurs répondus par plusieurs personnes.`,
        );
      const lines = [
        `À discuter ensemble (${list.length} indicateur${list.length > 1 ? 's' : ''} où les réponses diffèrent) :`,
      ];
      for (const d of list.slice(0, 15)) {
        lines.push(
          `- Indicateur ${d.indicator} — ${d.text} : ${d.answers.map((a) => `${a.respondent} : ${a.label}`).join(' · ')}`,
        );
      }
      if (list.length > 15) lines.push(`… et ${list.length - 15} autres, dans le rapport.`);
      return say(dc, lines.join('\n'));
    },

    async inviter(dc) {
      const { respondentId } = identityOf(dc.context);
      const collectivite = await currentCollectivite(respondentId);
      if (!collectivite)
        return say(
          dc,
          'On invite des collègues sur une collectivité : commencez par un « diagnostic complet ».',
        );
      const code = await issueJoinCode(service.store, collectivite.id);
      return say(
        dc,
        `Code pour rejoindre ${plain(collectivite.name)} : **${code}**\n\nVos collègues tapent « rejoindre ${code} », dans Teams ou sur la page web, puis répondent de leur côté ; « désaccords » montre ensuite où vos réponses diffèrent. « révoquer le code » le désactive ; « inviter » en donne un nouveau.`,
      );
    },

    async revoquer(dc) {
      const { respondentId } = identityOf(dc.context);
      const collectivite = await currentCollectivite(respondentId);
      if (!collectivite) return say(dc, "Vous n'avez pas de collectivité dont révoquer le code.");
      const revoked = await revokeJoinCode(service.store, collectivite.id);
      return say(
        dc,
        revoked
          ? 'Le code est désactivé : il ne permet plus de rejoindre la collectivité.'
          : "Il n'y avait pas de code actif.",
      );
    },

    async nommer(dc, argument) {
      const { respondentId } = identityOf(dc.context);
      const diagnostic = await service.activeDiagnostic(respondentId);
      if (!diagnostic)
        return say(
          dc,
          'Commencez par « diagnostic rapide » : vous pourrez ensuite donner le nom de votre collectivité.',
        );
      if (diagnostic.collectiviteId) {
        const collectivite = await service.collectivite(diagnostic.collectiviteId);
        return say(
          dc,
          `Ce diagnostic porte déjà le nom de ${plain(collectivite?.name ?? 'sa collectivité')}.`,
        );
      }
      if (!argument)
        return say(
          dc,
          'Tapez « nommer » suivi du nom de la collectivité, par exemple « nommer Commune de Lacq ».',
        );
      const checked = checkCollectiviteName(argument);
      if (!checked.ok) return say(dc, checked.reason);
      await service.updateDiagnostic(diagnostic.id, (d) => ({ ...d, name: checked.name }));
      return say(
        dc,
        `Noté : ce diagnostic rapide est celui de ${plain(checked.name)}${diagnostic.reportId ? ', et son rapport porte ce nom' : ' ; son rapport portera ce nom'}.`,
      );
    },

    async rejoindre(dc, argument) {
      const { respondentId, tenantId } = identityOf(dc.context);
      if (!argument)
        return say(dc, 'Tapez « rejoindre » suivi du code reçu, par exemple « rejoindre K7QF-M2XP-9R ».');
      const guessers = guesserKeys(dc.context.activity, respondentId);
      const allowed = joinAttempts.check(guessers);
      if (!allowed.ok) return say(dc, joinWaitMessage(allowed.retryInSeconds));
      const result = await joinCollectivite(service.store, argument, respondentId, tenantId);
      if (!result.ok) {
        if (result.reason !== 'code-invalide') joinAttempts.recordFailure(guessers);
        return say(dc, joinRefusalMessages[result.reason]);
      }
      joinAttempts.recordSuccess(guessers);
      const open = (await diagnosticsOf(result.collectivite))
        .reverse()
        .find((d) => nextIndicator(referentials.maturity, respondentView(d, respondentId)));
      if (open) {
        await service.setActiveDiagnostic(respondentId, open.id);
        const { answered, total } = progressOf(referentials.maturity, respondentView(open, respondentId));
        return say(
          dc,
          `Vous avez rejoint ${plain(result.collectivite.name)}. Tapez « reprendre » pour donner vos réponses au diagnostic en cours (${answered} / ${total} de votre côté) : elles seront comparées à celles de vos collègues.`,
        );
      }
      return say(
        dc,
        `Vous avez rejoint ${plain(result.collectivite.name)}. Tapez « diagnostic complet » pour commencer un nouveau diagnostic pour elle.`,
      );
    },
  };

  return {
    async command(dc, command, argument) {
      return handlers[command]?.(dc, argument);
    },
  };
}
