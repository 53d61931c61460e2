import { isAcrHost } from '../acr/hosts.js';
import { parseImageRef } from '../docker/reference.js';

/**
 * Provenance and SBOM defaults. ACR rejects attestation manifests (`unknown manifest class for
 * application/vnd.oci.empty.v1+json`), and one refused manifest fails the push to every
 * registry of a multi-registry build — so they default off when any target is ACR, and to
 * minimal provenance elsewhere. Explicit inputs always win.
 */
export interface AttestationChoice {
  provenance?: string;
  sbom?: string;
  explanation: string;
}

export function chooseAttestations(tags: readonly string[], explicit: { provenance?: string; sbom?: string }): AttestationChoice {
  const acr = tags.map((t) => parseImageRef(t).registry).find(isAcrHost);
  const given = [explicit.provenance !== undefined && 'provenance', explicit.sbom !== undefined && 'sbom'].filter(Boolean);
  if (acr) {
    const provenance = explicit.provenance ?? 'false';
    const sbom = explicit.sbom ?? 'false';
    const note = given.length > 0 ? `; ${given.join(' and ')} as given` : '';
    return {
      provenance,
      sbom,
      explanation: `attestations: provenance=${provenance}, sbom=${sbom} (${acr} is ACR, which rejects attestation manifests${note})`,
    };
  }
  const provenance = explicit.provenance ?? 'mode=min';
  return {
    provenance,
    sbom: explicit.sbom,
    explanation: `attestations: provenance=${provenance}${explicit.sbom !== undefined ? `, sbom=${explicit.sbom}` : ''}${given.length > 0 ? ` (${given.join(' and ')} as given)` : ' (default for registries that accept them)'}`,
  };
}
