/* global window, document, localStorage, fetch */
// Hosts Web Chat on the page: gets a Direct Line token from this server (local Direct Line, or Azure's exchanged
// with the secret kept on the server), keeps a random user id in localStorage so that « reprendre » works after a
// reload, and offers a new conversation.

const userIdKey = 'assistant-maturite.userId';

const connection = {
  uninitialized: 0,
  connecting: 1,
  online: 2,
  expiredToken: 3,
  failedToConnect: 4,
  ended: 5,
};

const styleOptions = {
  accent: '#000091',
  backgroundColor: '#FFFFFF',
  primaryFont: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  subtle: '#595959',
  timestampColor: '#595959',
  bubbleBackground: '#F6F6F6',
  bubbleBorderColor: '#DDDDDD',
  bubbleBorderRadius: 4,
  bubbleBorderWidth: 1,
  bubbleTextColor: '#161616',
  bubbleFromUserBackground: '#000091',
  bubbleFromUserBorderColor: '#000091',
  bubbleFromUserBorderRadius: 4,
  bubbleFromUserTextColor: '#FFFFFF',
  bubbleMaxWidth: 640,
  cardEmphasisBackgroundColor: '#F5F5FE',
  suggestedActionBorderColor: '#000091',
  suggestedActionTextColor: '#000091',
  suggestedActionBorderRadius: 0,
  sendBoxButtonColor: '#000091',
  sendBoxButtonColorOnHover: '#1212FF',
  sendBoxBorderTop: '1px solid #929292',
  sendBoxPlaceholderColor: '#595959',
  transcriptVisualKeyboardIndicatorColor: '#0A76F6',
  transcriptVisualKeyboardIndicatorWidth: 3,
  hideUploadButton: true,
  disableFileUpload: true,
  adaptiveCardsParserMaxVersion: '1.5',
  rootHeight: '100%',
  rootWidth: '100%',
  // « 4 décembre à 14:48 » under each message, rather than « À l'instant », « Aujourd'hui »: the time of an answer is
  // what a conseiller looks for when coming back to the conversation.
  timestampFormat: 'absolute',
};

// Web Chat 4.18 formats every timestamp with the CLDR skeleton `MMMMdhm`, whose `h` asks for a 12-hour clock: in
// French too it gives « 4 décembre à 2:48 PM », on screen and for screen readers, whatever `locale` and the
// browser's language. Its `GLOBALIZE` string (the formatters behind every localized date, duration, plural and file
// size) is replaced by the browser's own Intl formatters in French, with the 24-hour clock.
const frenchDate = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const frenchPlural = new Intl.PluralRules('fr-FR');
const frenchRelativeTime = new Intl.RelativeTimeFormat('fr-FR', { numeric: 'always' });
const frenchFormats = {
  dateFormatter: () => (date) => frenchDate.format(date),
  relativeTimeFormatter: (unit) => (value) => frenchRelativeTime.format(value, unit),
  unitFormatter:
    (unit, { form } = {}) =>
    (value) =>
      new Intl.NumberFormat('fr-FR', {
        style: 'unit',
        unit,
        unitDisplay: form === 'long' ? 'long' : 'short',
      }).format(value),
  plural: (value) => frenchPlural.select(value),
};
const overrideLocalizedStrings = {
  GLOBALIZE: frenchFormats,
  ACTIVITY_STATUS_SEND_STATUS_ALT_SENT_AT: 'Envoyé le $1',
};

const status = document.getElementById('etat');
const newConversationButton = document.getElementById('nouvelle-conversation');
const forgetButton = document.getElementById('oublier');
let current;

function storedUserId() {
  try {
    return localStorage.getItem(userIdKey);
  } catch {
    return null;
  }
}

function keepUserId(userId) {
  try {
    localStorage.setItem(userIdKey, userId);
  } catch {
    // Private browsing may refuse storage: the conversation still works, « reprendre » only within this page.
  }
}

function showStatus(message, action) {
  status.textContent = message;
  if (action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.textContent = action.label;
    button.addEventListener('click', action.run);
    status.append(button);
  }
}

async function fetchToken(userId) {
  const response = await fetch('/api/directline/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(userId ? { userId } : {}),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(
      body?.error?.message ?? 'Le service de discussion ne répond pas. Réessayez dans un instant.',
    );
  }
  return body;
}

async function startConversation() {
  newConversationButton.disabled = true;
  showStatus('Connexion à l’assistant…');
  try {
    const { token, domain, userId } = await fetchToken(storedUserId());
    keepUserId(userId);
    const directLine = window.WebChat.createDirectLine({ domain, token });
    const host = document.createElement('div');
    host.className = 'webchat';
    host.id = 'webchat';
    const previous = current;
    current = { directLine, host };
    document.getElementById('webchat').replaceWith(host);
    previous?.subscription?.unsubscribe();
    previous?.directLine.end();
    current.subscription = directLine.connectionStatus$.subscribe((state) => {
      if (current?.directLine !== directLine) return;
      if (state === connection.online) showStatus('');
      if (
        state === connection.expiredToken ||
        state === connection.failedToConnect ||
        state === connection.ended
      ) {
        showStatus('La connexion avec l’assistant est perdue. Vos réponses sont gardées.', {
          label: 'Reprendre dans une nouvelle conversation',
          run: startConversation,
        });
      }
    });
    window.WebChat.renderWebChat(
      { directLine, locale: 'fr-FR', overrideLocalizedStrings, styleOptions },
      host,
    );
  } catch (err) {
    showStatus(err instanceof Error ? err.message : String(err), {
      label: 'Réessayer',
      run: startConversation,
    });
  } finally {
    newConversationButton.disabled = false;
  }
}

newConversationButton.addEventListener('click', () => {
  void startConversation();
});

forgetButton.addEventListener('click', () => {
  try {
    localStorage.removeItem(userIdKey);
  } catch {
    // Nothing was stored.
  }
  void startConversation();
});

if (window.WebChat) {
  void startConversation();
} else {
  showStatus('L’assistant n’a pas pu se charger. Rechargez la page.', {
    label: 'Recharger',
    run: () => window.location.reload(),
  });
}
