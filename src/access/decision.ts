import type { DataCategory } from './categories';

/** Why a granted category was shared: recorded in the audit for every disclosure. */
export type AccessBasis =
  | { readonly kind: 'isa'; readonly reference: string }
  | { readonly kind: 'consent'; readonly consentId: string }
  | { readonly kind: 'override'; readonly overrideId: string };

export type DenialCode = 'FORBIDDEN' | 'NO_RELATIONSHIP' | 'CONSENT_REQUIRED';

export type AccessDecision =
  | { readonly allowed: true; readonly category: DataCategory; readonly basis: AccessBasis }
  | { readonly allowed: false; readonly category: DataCategory; readonly code: DenialCode };

export function basisLabel(basis: AccessBasis): string {
  switch (basis.kind) {
    case 'isa':
      return `isa:${basis.reference}`;
    case 'consent':
      return `consent:${basis.consentId}`;
    case 'override':
      return `override:${basis.overrideId}`;
  }
}
