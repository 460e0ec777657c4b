// Tekton's feature flags that change what the webhook accepts, at their v1.15 defaults.

export type ApiFields = 'alpha' | 'beta' | 'stable';

export interface FeatureFlags {
  /** `enable-api-fields` (default `beta`). */
  apiFields: ApiFields;
  /** `enable-param-enum` (alpha, default off). */
  enableParamEnum: boolean;
  /** `enable-cel-in-whenexpression` (alpha, default off). */
  enableCelInWhenExpression: boolean;
  /** `enable-artifacts` (alpha, default off). */
  enableArtifacts: boolean;
  /** `enable-concise-resolver-syntax` (alpha, default off). */
  enableConciseResolverSyntax: boolean;
}

export const DEFAULT_FLAGS: Readonly<FeatureFlags> = {
  apiFields: 'beta',
  enableParamEnum: false,
  enableCelInWhenExpression: false,
  enableArtifacts: false,
  enableConciseResolverSyntax: false,
};

/** Tekton's ValidateEnabledAPIFields message, or '' when the feature is enabled. */
export function apiFieldsGate(flags: FeatureFlags, feature: string, want: 'alpha' | 'beta'): string {
  const cur = flags.apiFields;
  if (want === 'beta' && (cur === 'beta' || cur === 'alpha')) return '';
  if (want === 'alpha' && cur === 'alpha') return '';
  const wanted = want === 'alpha' ? 'alpha' : 'alpha" or "beta';
  return `${feature} requires "enable-api-fields" feature gate to be "${wanted}" but it is "${cur}"`;
}
