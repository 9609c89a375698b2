import type { Server } from 'restify';
import type { RecordStore } from '../domain/records/recordStore.js';
import type { Logger } from '../log.js';
import { exportPersonalData, usePersonalDataLink } from '../privacy/personalData.js';
import { renderErrorHtml } from '../reports/html.js';
import { commonHeaders, htmlHeaders, send } from './reportRoutes.js';

/** `GET /mes-donnees/:token`: the person's data as a JSON download, through the one-time link the chat gave them. */
export function registerPrivacyRoutes(server: Server, options: { store: RecordStore; logger: Logger }): void {
  server.get('/mes-donnees/:token', async (req, res) => {
    try {
      const respondentId = await usePersonalDataLink(options.store, String(req.params.token ?? ''));
      if (!respondentId) {
        send(
          res,
          404,
          renderErrorHtml(
            'Lien expiré',
            'Ce lien de téléchargement a déjà servi ou a expiré (il vaut 15 minutes, une seule fois). Tapez « mes données » dans la conversation pour en obtenir un nouveau.',
          ),
          htmlHeaders,
        );
        return;
      }
      const body = JSON.stringify(await exportPersonalData(options.store, respondentId), null, 2);
      send(res, 200, body, {
        ...commonHeaders,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': 'attachment; filename="mes-donnees-assistant-maturite.json"',
      });
    } catch (err) {
      options.logger.error({ err }, 'personal data export failed');
      send(
        res,
        500,
        renderErrorHtml('Erreur', 'L’export n’a pas pu être préparé. Réessayez dans un instant.'),
        htmlHeaders,
      );
    }
  });
}
