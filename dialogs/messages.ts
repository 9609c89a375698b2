/** French sentences the dialogs say, in one place so they read as one voice. */
export const messages = {
  help:
    'Voici ce que je sais faire :\n\n' +
    '- « diagnostic rapide » : 13 questions, environ 3 minutes, un niveau et trois priorités ;\n' +
    '- « diagnostic complet » : les 68 indicateurs du référentiel de La Mednum, en plusieurs fois si besoin ;\n' +
    '- « convaincre mon élu » : des arguments adaptés à votre situation, ou posez directement votre question ;\n' +
    '- « reprendre » : continuer là où vous vous étiez arrêté ; « code de reprise » : continuer sur un autre appareil ou entre Teams et le web ;\n' +
    '- « résultats », « détails », « évolution », « rapport » : vos résultats, leur détail, leur évolution, le rapport à partager.\n\n' +
    'Pendant un diagnostic :\n\n' +
    '- « retour » (question précédente), « passer », « pause », « annuler », « menu » ;\n' +
    '- « modifier la question 12 », « je me suis trompé à la 3, c’est non » ; « quelles questions restent ? ».\n\n' +
    'À plusieurs pour une collectivité :\n\n' +
    '- « inviter » (un code pour vos collègues), « rejoindre CODE », « désaccords », « révoquer le code » ;\n' +
    '- « nommer Commune de … » : le nom de la collectivité d’un diagnostic rapide.\n\n' +
    'Vos données : « mes données », « supprimer mes données », « révoquer le code de reprise ».',
  notUnderstood:
    "Je n'ai pas bien compris. Tapez « menu » pour voir ce que je propose, ou « aide » pour la liste des commandes.",
  notAnAnswer:
    "Je n'ai pas compris votre réponse. Répondez « oui », « en partie », « non » ou « je ne sais pas » (ou 1, 2, 3, 4).",
  staleCard:
    'Ce bouton appartient à une question déjà passée ou à une ancienne carte : rien n’a été modifié. Voici la question en cours.',
  staleCardNoQuestion: 'Ce bouton appartient à une ancienne carte : rien n’a été modifié.',
  invalidCard: "Ce bouton n'est pas valide (carte trop ancienne ou modifiée) : rien n'a été enregistré.",
  tooLong: (max: number) =>
    `Votre message est trop long : ${max.toLocaleString('fr-FR')} caractères au plus. Rien n'a été enregistré.`,
  nothingToResume:
    "Vous n'avez pas de diagnostic en cours. Tapez « diagnostic rapide » ou « diagnostic complet » pour commencer.",
  alreadyFinished:
    'Ce diagnostic est terminé. Voici vos résultats ; tapez « diagnostic complet » ou « diagnostic rapide » pour en commencer un autre.',
  noResults: "Vous n'avez pas encore de résultats. Tapez « diagnostic rapide » pour en obtenir en 3 minutes.",
  paused: (answered: number, total: number, unknown = 0) =>
    `C'est enregistré : ${answered} réponse${answered > 1 ? 's' : ''} sur ${total}${unknown > 0 ? `, dont ${unknown} « je ne sais pas » (mis de côté dans les scores)` : ''}. Tapez « reprendre » quand vous voulez, ici ou dans une nouvelle conversation.`,
  cancelled:
    "C'est annulé. Les réponses déjà données restent enregistrées : « reprendre » pour continuer, « menu » pour autre chose.",
  nothingToCancel:
    "Il n'y a rien en cours à annuler. Les réponses déjà données restent enregistrées : « reprendre » pour continuer un diagnostic, « menu » pour autre chose.",
  nothingToGoBack: "C'est la première question : il n'y a pas de question précédente.",
  noQuestion:
    "Il n'y a pas de question en cours. Tapez « reprendre » pour continuer un diagnostic, ou « menu ».",
  resumed: (index: number, total: number) => `On reprend là où vous en étiez (${index} / ${total}).`,
  notYourDiagnostic:
    "Ce diagnostic est celui d'une autre personne : vos réponses n'y sont pas enregistrées. Tapez « diagnostic rapide » ou « diagnostic complet » pour commencer le vôtre, ou « rejoindre CODE » avec le code d'invitation d'un collègue.",
  notAvailableYet: 'Cette fonction arrive bientôt. Tapez « menu » pour voir ce qui est disponible.',
  quantityInvalid: {
    not_a_number:
      "Je n'ai pas reconnu de nombre. Tapez par exemple « 45 000 € », « 1,5 M€ » ou « douze », ou « passer ».",
    negative: 'Ce nombre ne peut pas être négatif. Tapez une valeur positive, ou « passer ».',
    too_large: 'Ce nombre paraît trop grand. Vérifiez-le et tapez-le à nouveau, ou « passer ».',
    ambiguous: "J'ai reconnu plusieurs nombres : tapez-en un seul (le total), ou « passer ».",
  },
  apology:
    "Désolé, un problème technique m'a empêché de répondre. Vos réponses déjà enregistrées sont conservées : réessayez, ou tapez « reprendre ».",
};
