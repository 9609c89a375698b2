import type { Server } from 'restify';
import type { Config } from '../../config/config.js';
import { resumeCodeDays } from '../../domain/identity/resumeCode.js';
import type { Logger } from '../../log.js';
import { personalDataLinkMinutes } from '../../privacy/personalData.js';
import { chartLinkHours } from '../../reports/cardChart.js';
import { escapeHtml } from '../../reports/format.js';
import { defaultStoreLimits } from '../directline/store.js';
import { registerHtmlPage, retentionText, webChatVersion } from './page.js';

/**
 * The web page's three legal pages, French HTML rendered once at start-up in the page's style (public/styles.css):
 *   /accessibilite     déclaration d'accessibilité (loi n° 2005-102 art. 47, décret n° 2019-768; the RGAA model)
 *   /mentions-legales  éditeur, directeur de la publication, hébergeur (LCEN)
 *   /confidentialite   what is stored, where, for how long, who sees it, and the person's rights (RGPD art. 13)
 * Who publishes, hosts and answers comes from the LEGAL_* settings; a missing one shows « à compléter par
 * l'éditeur : … » on the page and, outside local mode, one warning in the log at start-up.
 */

export const legalSettingNames = [
  'LEGAL_PUBLISHER',
  'LEGAL_PUBLISHER_ADDRESS',
  'LEGAL_PUBLISHER_PHONE',
  'LEGAL_DIRECTOR',
  'LEGAL_HOST',
  'LEGAL_HOST_ADDRESS',
  'LEGAL_HOST_PHONE',
  'LEGAL_CONTACT_EMAIL',
  'LEGAL_DPO_EMAIL',
  'LEGAL_BASIS',
  'LEGAL_ACCESSIBILITY_PLAN_URL',
] as const;
export type LegalSettingName = (typeof legalSettingNames)[number];

/** What each setting holds, in the words of its placeholder. */
const settingLabels: Record<LegalSettingName, string> = {
  LEGAL_PUBLISHER: 'nom de l’organisme qui publie l’assistant',
  LEGAL_PUBLISHER_ADDRESS: 'adresse du siège de l’organisme',
  LEGAL_PUBLISHER_PHONE: 'numéro de téléphone de l’organisme',
  LEGAL_DIRECTOR: 'nom du directeur ou de la directrice de la publication',
  LEGAL_HOST: 'nom de l’hébergeur',
  LEGAL_HOST_ADDRESS: 'adresse de l’hébergeur',
  LEGAL_HOST_PHONE: 'numéro de téléphone de l’hébergeur',
  LEGAL_CONTACT_EMAIL: 'adresse e-mail de contact',
  LEGAL_DPO_EMAIL: 'adresse e-mail du délégué à la protection des données',
  LEGAL_BASIS:
    'base légale du traitement (pour une collectivité, par exemple : l’exécution d’une mission d’intérêt public, article 6, paragraphe 1, point e du RGPD)',
  LEGAL_ACCESSIBILITY_PLAN_URL:
    'adresse du schéma pluriannuel de mise en accessibilité et du plan d’actions de l’année',
};

/**
 * The RGAA's rule: without a valid audit, the service is « non conforme », whatever was checked. Change it only with
 * an audit, together with the declaration's sections and `declaration` below. The home page's footer says the same
 * (public/index.html; a test compares them).
 */
export const accessibilityStatus = 'non conforme';

/** When the declaration was established and with what (update all of it when the checks are run again). */
export const declaration = {
  date: '6 décembre 2026',
  rgaa: '4.1.2',
  axe: 'axe-core 4.14.1',
  browser: 'Chromium 156 (Debian 12), piloté par playwright-core 1.65',
};

export type LegalConfig = Pick<Config, 'RETENTION_DAYS' | 'localMode'> &
  Partial<
    Pick<
      Config,
      | LegalSettingName
      | 'STORAGE'
      | 'PUBLIC_URL'
      | 'DIRECT_LINE_SECRET'
      | 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    >
  >;

export const legalPaths = {
  accessibilite: '/accessibilite',
  mentions: '/mentions-legales',
  confidentialite: '/confidentialite',
} as const;

/** The settings left empty, in their documented order. */
export function missingLegalSettings(config: Partial<Record<LegalSettingName, string>>): LegalSettingName[] {
  return legalSettingNames.filter((name) => !config[name]);
}

/**
 * Registers the three pages; outside local mode, warns once the server listens when settings are missing (a server
 * that cannot start says only why).
 */
export function registerLegalPages(server: Server, options: { config: LegalConfig; logger: Logger }): void {
  const { config, logger } = options;
  const pages = renderLegalPages(config);
  for (const [path, html] of Object.entries(pages)) registerHtmlPage(server, path, html, config.localMode);
  const missing = missingLegalSettings(config);
  if (!config.localMode && missing.length > 0) {
    server.server.once('listening', () =>
      logger.warn(
        { missing },
        'legal pages: settings missing, the pages show « à compléter par l’éditeur » in their place',
      ),
    );
  }
}

/** The three pages' HTML by path. */
export function renderLegalPages(config: LegalConfig): Record<string, string> {
  return {
    [legalPaths.accessibilite]: accessibilitePage(config),
    [legalPaths.mentions]: mentionsPage(config),
    [legalPaths.confidentialite]: confidentialitePage(config),
  };
}

function placeholder(name: LegalSettingName): string {
  return `<span class="a-completer">à compléter par l’éditeur : ${escapeHtml(settingLabels[name])} (${name})</span>`;
}

/** The setting's value, escaped, or its placeholder. */
function setting(config: LegalConfig, name: LegalSettingName): string {
  const value = config[name];
  return value ? escapeHtml(value) : placeholder(name);
}

function mailLink(config: LegalConfig, name: 'LEGAL_CONTACT_EMAIL' | 'LEGAL_DPO_EMAIL'): string {
  const value = config[name];
  return value ? `<a href="mailto:${escapeHtml(value)}">${escapeHtml(value)}</a>` : placeholder(name);
}

const footerLinks: [path: string, text: string][] = [
  ['/', 'Accueil : conversation avec l’assistant'],
  [legalPaths.accessibilite, `Accessibilité : ${accessibilityStatus}`],
  [legalPaths.mentions, 'Mentions légales'],
  [legalPaths.confidentialite, 'Données personnelles'],
];

function layout(path: string, title: string, body: string): string {
  const links = footerLinks
    .map(
      ([href, text]) =>
        `<li><a href="${href}"${href === path ? ' aria-current="page"' : ''}>${escapeHtml(text)}</a></li>`,
    )
    .join('\n            ');
  return `<!doctype html>
<html lang="fr" dir="ltr">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)} — Assistant maturité</title>
    <meta name="theme-color" content="#000091" />
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/styles.css" />
  </head>
  <body>
    <a class="skip-link" href="#contenu">Aller au contenu</a>

    <header class="site-header">
      <div class="container site-header__inner">
        <p class="site-header__name"><a href="/">Assistant maturité</a></p>
        <p class="site-header__tagline">Inclusion numérique des collectivités territoriales</p>
      </div>
    </header>

    <main id="contenu" class="container legal" tabindex="-1">
      <h1>${escapeHtml(title)}</h1>
${body}
    </main>

    <footer class="site-footer">
      <div class="container">
        <nav aria-label="Informations légales">
          <ul class="site-footer__links">
            ${links}
          </ul>
        </nav>
        <p>Assistant libre (licence MIT) — fonctionne aussi dans Microsoft Teams.</p>
      </div>
    </footer>
  </body>
</html>
`;
}

function accessibilitePage(config: LegalConfig): string {
  const publisher = setting(config, 'LEGAL_PUBLISHER');
  const plan = config.LEGAL_ACCESSIBILITY_PLAN_URL
    ? `<a href="${escapeHtml(config.LEGAL_ACCESSIBILITY_PLAN_URL)}">schéma pluriannuel de mise en accessibilité et plan d’actions de l’année</a>`
    : placeholder('LEGAL_ACCESSIBILITY_PLAN_URL');
  const site = config.PUBLIC_URL ? ` (${escapeHtml(config.PUBLIC_URL)})` : '';
  return layout(
    legalPaths.accessibilite,
    'Déclaration d’accessibilité',
    `
      <p>${publisher} s’engage à rendre ses services numériques accessibles conformément à l’article 47 de la loi
      n° 2005-102 du 11 février 2005.</p>
      <p>À cette fin, il met en œuvre la stratégie et les actions suivantes : ${plan}.</p>
      <p>Cette déclaration d’accessibilité s’applique à la page web de l’Assistant maturité${site} : la page de
      conversation, les rapports de diagnostic (pages <code>/rapports/…</code>) et les pages Accessibilité, Mentions
      légales et Données personnelles. Dans Microsoft Teams, l’assistant s’affiche dans l’application Teams, dont
      l’accessibilité relève de Microsoft.</p>

      <h2>État de conformité</h2>
      <p>L’Assistant maturité est <strong>non conforme</strong> avec le référentiel général d’amélioration de
      l’accessibilité (RGAA), version ${declaration.rgaa}, car il n’existe aucun résultat d’audit en cours de
      validité permettant de mesurer le respect des critères.</p>
      <p>C’est la règle du RGAA : sans audit de conformité, un service est déclaré « non conforme », même si des
      vérifications ont été faites. Celles qui sont décrites ci-dessous sont partielles et ne remplacent pas un
      audit.</p>

      <h3>Résultats des tests</h3>
      <p>En l’absence d’audit de conformité, il n’y a pas de taux de critères RGAA respectés. Les tests
      automatiques du projet vérifient, à chaque modification, dans un vrai navigateur :</p>
      <ul>
        <li>avec ${declaration.axe} : aucune violation « grave » ou « critique » sur la page de conversation (une
        question affichée), sur un rapport de diagnostic à la largeur d’un téléphone, et sur les trois pages
        d’information ;</li>
        <li>au clavier : le lien « Aller au contenu » (« Aller à la conversation » sur l’accueil) est le premier
        élément atteint avec la touche Tab, et chaque lien des pages d’information et du pied de page de l’accueil
        est atteint avec Tab et reçoit un contour de focus visible ;</li>
        <li>les noms lus par les lecteurs d’écran : les boutons des cartes sont trouvés par leur rôle et leur nom
        accessible, et l’heure des messages est lue en français (« Envoyé le 4 décembre à 14:48 ») ;</li>
        <li>le zoom et les petits écrans : les pages d’information et l’accueil s’affichent sans défilement
        horizontal à 640 pixels de large (un écran de 1 280 pixels zoomé à 200 %), à 390 pixels (un téléphone) et
        à 320 pixels ; la carte de résultats tient sur un écran et demi de téléphone.</li>
      </ul>
      <p>N’ont pas été vérifiés : les 106 critères du RGAA (aucun audit) ; l’usage avec un lecteur d’écran réel
      (NVDA, JAWS, VoiceOver, TalkBack) et par des personnes en situation de handicap ; l’application Microsoft
      Teams ; le rapport PDF avec un lecteur d’écran (sa structure balisée est vérifiée par les tests).</p>

      <h2>Contenus non accessibles</h2>
      <h3>Non-conformités</h3>
      <p>Faute d’audit, la liste des non-conformités n’est pas établie. Les vérifications ci-dessus n’ont relevé
      aucune violation grave ou critique. Si un contenu vous pose problème : tout ce qu’une carte propose peut aussi
      être écrit (« oui », « 2 », « je ne sais pas », « menu »…), et vous pouvez nous contacter (voir plus bas).</p>
      <h3>Dérogations pour charge disproportionnée</h3>
      <p>Aucune.</p>
      <h3>Contenus non soumis à l’obligation d’accessibilité</h3>
      <p>Aucun.</p>

      <h2>Établissement de cette déclaration d’accessibilité</h2>
      <p>Cette déclaration a été établie le ${declaration.date}.</p>
      <h3>Technologies utilisées pour la réalisation de l’assistant</h3>
      <ul>
        <li>HTML5, CSS, JavaScript, WAI-ARIA</li>
        <li>Web Chat de Microsoft (<code>botframework-webchat</code> ${escapeHtml(webChatVersion())}) et cartes
        Adaptive Cards</li>
      </ul>
      <h3>Environnement de test</h3>
      <ul>
        <li>${declaration.browser}, en français</li>
        <li>Largeurs d’écran : 1 100, 640, 390 et 320 pixels</li>
      </ul>
      <h3>Outils utilisés lors de l’évaluation</h3>
      <ul>
        <li>${declaration.axe} (Deque Systems), lancé par les tests automatiques du projet (vitest)</li>
      </ul>
      <h3>Pages ayant fait l’objet de la vérification</h3>
      <ul>
        <li>Accueil : <a href="/">conversation avec l’assistant</a></li>
        <li>Un rapport de diagnostic (<code>/rapports/…</code>)</li>
        <li><a href="${legalPaths.accessibilite}">Accessibilité</a></li>
        <li><a href="${legalPaths.mentions}">Mentions légales</a></li>
        <li><a href="${legalPaths.confidentialite}">Données personnelles</a></li>
      </ul>

      <h2>Retour d’information et contact</h2>
      <p>Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable de
      l’Assistant maturité pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre
      forme.</p>
      <ul>
        <li>Envoyer un message : ${mailLink(config, 'LEGAL_CONTACT_EMAIL')}</li>
        <li>Écrire à ${publisher}, ${setting(config, 'LEGAL_PUBLISHER_ADDRESS')}</li>
      </ul>

      <h2>Voies de recours</h2>
      <p>Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable de l’assistant un
      défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service, et vous n’avez pas obtenu de
      réponse satisfaisante.</p>
      <ul>
        <li><a href="https://www.defenseurdesdroits.fr/nous-contacter-355">Écrire un message au Défenseur des
        droits</a></li>
        <li><a href="https://www.defenseurdesdroits.fr/carte-des-delegues">Contacter le délégué du Défenseur des
        droits près de chez vous</a></li>
        <li>Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre
        réponse 71120, 75342 Paris CEDEX 07</li>
      </ul>`,
  );
}

function mentionsPage(config: LegalConfig): string {
  return layout(
    legalPaths.mentions,
    'Mentions légales',
    `
      <h2>Éditeur</h2>
      <ul>
        <li>${setting(config, 'LEGAL_PUBLISHER')}</li>
        <li>Siège : ${setting(config, 'LEGAL_PUBLISHER_ADDRESS')}</li>
        <li>Téléphone : ${setting(config, 'LEGAL_PUBLISHER_PHONE')}</li>
        <li>Contact : ${mailLink(config, 'LEGAL_CONTACT_EMAIL')}</li>
      </ul>

      <h2>Directeur de la publication</h2>
      <p>${setting(config, 'LEGAL_DIRECTOR')}</p>

      <h2>Hébergement</h2>
      <ul>
        <li>${setting(config, 'LEGAL_HOST')}</li>
        <li>Adresse : ${setting(config, 'LEGAL_HOST_ADDRESS')}</li>
        <li>Téléphone : ${setting(config, 'LEGAL_HOST_PHONE')}</li>
      </ul>

      <h2>Contenus et licences</h2>
      <ul>
        <li>Référentiel de maturité : La Mednum, <cite>Collectivités territoriales et inclusion numérique —
        critères et indicateurs pour évaluer leur degré de maturité</cite> (décembre 2023), sous licence CC BY-SA 4.0 ;
        le référentiel de l’assistant en est une adaptation, sous la même licence.</li>
        <li>Arguments pour les élus : guide pratique <cite>Mobiliser les élus de son territoire dans le déploiement
        de stratégies locales d’inclusion numérique</cite> (La Mednum, Hubikoop, ANCT, mai 2024).</li>
        <li>Feuille de route : PQN-A / Hubikoop, <cite>Co-construire une feuille de route territoriale d’inclusion
        numérique</cite> (novembre 2023).</li>
        <li>Chiffres clés : <cite>France Numérique Ensemble</cite> ; ANCT, <cite>Programme Société Numérique —
        rapport d’activité 2017-2022</cite>. Chaque chiffre affiché cite sa source.</li>
        <li>Logiciel : l’assistant est un logiciel libre (licence MIT) ; la conversation utilise le Web Chat de
        Microsoft.</li>
      </ul>

      <h2>Accessibilité et données personnelles</h2>
      <p>Voir la <a href="${legalPaths.accessibilite}">déclaration d’accessibilité</a> (accessibilité :
      ${accessibilityStatus}) et la page <a href="${legalPaths.confidentialite}">Données personnelles</a>.</p>`,
  );
}

function storagePlace(config: LegalConfig): string {
  if (config.STORAGE === 'blob')
    return `dans un compte de stockage Azure Blob Storage (Microsoft), utilisé par ${setting(config, 'LEGAL_PUBLISHER')}`;
  if (config.STORAGE === 'memory')
    return 'dans la mémoire du serveur seulement : tout est effacé à chaque redémarrage (mode d’essai)';
  return `dans des fichiers sur le serveur de l’hébergeur (${setting(config, 'LEGAL_HOST')})`;
}

function messagesPath(config: LegalConfig): string {
  const idleHours = defaultStoreLimits.idleMs / 3_600_000;
  if (config.DIRECT_LINE_SECRET)
    return 'Sur la page web, vos messages passent par le service Direct Line d’Azure Bot Service (Microsoft).';
  if (config.localMode)
    return `Sur la page web, vos messages passent par la mémoire de ce serveur et y sont oubliés ${idleHours} heure${idleHours > 1 ? 's' : ''} après le dernier.`;
  return 'La conversation sur la page web n’est pas ouverte sur ce serveur.';
}

/** Application Insights (src/telemetry/): what leaves the server when it is on. */
function telemetryNote(config: LegalConfig): string {
  if (!config.APPLICATIONINSIGHTS_CONNECTION_STRING) return '';
  return `
      <p>Des mesures techniques sont envoyées à Azure Application Insights (Microsoft) : pour chaque échange, sa
      durée, l’étape de la conversation, le canal (Teams ou web) et s’il a réussi ou échoué, ainsi que des mesures
      du serveur (mémoire, processeur). Elles ne contiennent ni texte, ni identifiant de personne ou de
      conversation.</p>`;
}

function confidentialitePage(config: LegalConfig): string {
  const retention = retentionText(config.RETENTION_DAYS);
  return layout(
    legalPaths.confidentialite,
    'Données personnelles',
    `
      <p>Cette page dit quelles données l’Assistant maturité enregistre, pourquoi, où, combien de temps, qui les
      voit, et comment exercer vos droits (article 13 du règlement général sur la protection des données, RGPD).</p>

      <h2>Responsable du traitement</h2>
      <p>${setting(config, 'LEGAL_PUBLISHER')}, ${setting(config, 'LEGAL_PUBLISHER_ADDRESS')}. Contact :
      ${mailLink(config, 'LEGAL_CONTACT_EMAIL')}.</p>

      <h2>Délégué à la protection des données</h2>
      <p>${mailLink(config, 'LEGAL_DPO_EMAIL')}</p>

      <h2>Pourquoi ces données</h2>
      <ul>
        <li>faire le diagnostic de maturité de votre collectivité en inclusion numérique et en calculer les
        résultats ;</li>
        <li>vous proposer des pistes et des arguments pour vos élus adaptés à votre situation ;</li>
        <li>vous permettre de reprendre plus tard, sur un autre appareil, ou entre Teams et le web ;</li>
        <li>permettre à plusieurs collègues de répondre pour la même collectivité et de voir où leurs réponses
        diffèrent ;</li>
        <li>produire les rapports et comparer un diagnostic au précédent.</li>
      </ul>

      <h2>Base légale</h2>
      <p>${setting(config, 'LEGAL_BASIS')}</p>
      <p>Aucune réponse n’est obligatoire : une question peut être passée ou recevoir « je ne sais pas ». Le
      diagnostic complet demande le nom et le type de la collectivité. Aucune décision automatisée ne vous
      concerne : les scores portent sur la collectivité.</p>

      <h2>Ce qui est enregistré</h2>
      <ul>
        <li><strong>Votre fiche</strong> : un identifiant technique — sur la page web, un identifiant tiré au
        hasard, gardé aussi dans votre navigateur ; dans Teams, les identifiants de votre compte Microsoft et de
        votre organisation — ni nom, ni adresse e-mail ; la date de votre premier et de votre dernier passage ; le
        diagnostic en cours, vos collectivités et vos diagnostics ; votre code de reprise et les appareils reliés
        par ce code.</li>
        <li><strong>Vos diagnostics</strong> : vos réponses (Oui, En partie, Non, Je ne sais pas), les montants et
        nombres que vous donnez, qui (identifiant technique) a donné chaque réponse et quand, les questions
        passées, et pour un diagnostic rapide le nom de collectivité que vous lui donnez (« nommer »).</li>
        <li><strong>Les collectivités</strong> : nom, type, traits du territoire que vous indiquez, et quand elle
        est reconnue, sa fiche publique dans le découpage administratif officiel (code INSEE ou SIREN, population,
        département) ; organisation Teams d’origine, identifiants des membres, code d’invitation.</li>
        <li><strong>Des liens et des codes</strong> : lien du rapport (tiré au hasard), lien de téléchargement
        « mes données » (${personalDataLinkMinutes} minutes, une seule fois), lien d’un graphique de résultats
        provisoires (${chartLinkHours} heures), code de reprise (${resumeCodeDays} jours), code d’invitation
        (jusqu’à ce qu’il soit révoqué ou remplacé).</li>
        <li><strong>La position dans chaque conversation</strong> : la question en cours, l’étape du parcours, les
        choix faits.</li>
      </ul>
      <p>Le texte de vos messages n’est pas enregistré par l’assistant : seul ce qu’il en comprend (une réponse,
      un montant, un nom de collectivité, un choix) l’est. N’écrivez pas d’informations personnelles sur d’autres
      personnes. La page web ne dépose pas de cookie : elle garde seulement l’identifiant tiré au hasard dans le
      stockage local du navigateur, pour que « reprendre » fonctionne ; le bouton « Oublier ce navigateur » de
      l’accueil l’efface. Aucun outil de mesure d’audience ni de publicité.</p>
      <p>Les journaux techniques du serveur (démarrage, erreurs, purge) ne contiennent ni texte saisi ni nom de
      collectivité ; en cas d’erreur, ils peuvent contenir l’identifiant technique d’une conversation ou d’un
      enregistrement et l’adresse de la page demandée. Ils sont gardés par l’hébergeur selon ses réglages. Les
      adresses IP servent seulement, en mémoire, à limiter le nombre de requêtes : elles ne sont pas
      enregistrées.</p>${telemetryNote(config)}

      <h2>Où</h2>
      <p>Les données sont enregistrées ${storagePlace(config)}. ${messagesPath(config)} Dans Teams, les messages
      passent par Microsoft Teams et Azure Bot Service (Microsoft), et l’historique de la conversation est gardé
      par Teams selon les règles de votre organisation.</p>

      <h2>Combien de temps</h2>
      <ul>
        <li>Votre fiche, vos diagnostics rapides faits seul (et leur rapport), et la position dans vos
        conversations sont effacés après ${retention} sans utilisation.</li>
        <li>Les diagnostics d’une collectivité, la fiche de la collectivité et leurs rapports sont gardés comme
        historique de la collectivité, sans durée limite ; après ${retention} sans utilisation de votre part, plus
        rien n’y dit que vous avez répondu (votre identifiant est remplacé par un pseudonyme tiré au hasard,
        conservé nulle part).</li>
        <li>Les liens et codes expirés sont effacés chaque jour.</li>
      </ul>

      <h2>Qui les voit</h2>
      <ul>
        <li>vous ;</li>
        <li>les collègues qui ont rejoint la même collectivité avec son code d’invitation : ils voient les
        réponses de son diagnostic, attribuées à « Répondant 1 », « Répondant 2 »… et jamais à votre identifiant ;</li>
        <li>toute personne à qui le lien d’un rapport est donné ;</li>
        <li>l’équipe de ${setting(config, 'LEGAL_PUBLISHER')} qui fait fonctionner l’assistant ;</li>
        <li>l’hébergeur (${setting(config, 'LEGAL_HOST')}) et, selon le cas, Microsoft (Teams, Azure Bot Service,
        Azure Blob Storage${config.APPLICATIONINSIGHTS_CONNECTION_STRING ? ', Application Insights' : ''}), qui
        traitent les données pour le compte de l’éditeur.</li>
      </ul>
      <p>Les données ne sont ni vendues, ni utilisées pour de la publicité.</p>

      <h2>Vos droits</h2>
      <ul>
        <li><strong>Voir et emporter vos données</strong> (accès, portabilité) : écrivez « mes données » dans la
        conversation ; l’assistant les résume et donne un fichier JSON avec tout ce qui vous concerne.</li>
        <li><strong>Corriger une réponse</strong> (rectification) : « retour », ou « modifier la question 12 ».</li>
        <li><strong>Tout effacer</strong> : écrivez « supprimer mes données » et confirmez. Votre fiche, votre
        place dans les collectivités, vos diagnostics rapides faits seul, vos liens, votre code de reprise et les
        appareils reliés sont effacés ; les diagnostics de collectivité gardent les réponses, qui appartiennent à
        la collectivité, mais plus rien ne dit que vous les avez données.</li>
        <li>Pour vous opposer au traitement, en demander la limitation ou toute autre question : écrivez au
        délégué à la protection des données, ${mailLink(config, 'LEGAL_DPO_EMAIL')}, ou à
        ${mailLink(config, 'LEGAL_CONTACT_EMAIL')}.</li>
      </ul>
      <p>Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser
      une réclamation à la Commission nationale de l’informatique et des libertés
      (<a href="https://www.cnil.fr/fr/plaintes">CNIL, adresser une plainte</a>).</p>`,
  );
}
