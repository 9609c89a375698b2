import type { IndicateurRef, MaturityReferential } from '../referential/load.js';

export type Scope = { kind: 'full' } | { kind: 'enjeu'; enjeuId: string } | { kind: 'quick' };

export function indicatorsInScope(referential: MaturityReferential, scope: Scope): readonly IndicateurRef[] {
  switch (scope.kind) {
    case 'full':
      return referential.indicators;
    case 'quick':
      return referential.keyIndicators;
    case 'enjeu':
      return referential.indicators.filter((ref) => ref.enjeu.id === scope.enjeuId);
  }
}

export function scopeLabel(referential: MaturityReferential, scope: Scope): string {
  switch (scope.kind) {
    case 'full':
      return 'Diagnostic complet';
    case 'quick':
      return 'Diagnostic rapide';
    case 'enjeu': {
      const enjeu = referential.enjeu(scope.enjeuId);
      return enjeu ? `Diagnostic de l'enjeu ${enjeu.number} — ${enjeu.title}` : 'Diagnostic partiel';
    }
  }
}
