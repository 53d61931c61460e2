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

/**
 * `target`: whether the result is pushed to a registry, and the builder's driver — the Docker
 * engine's own builder (`docker`) cannot make attestations, and a build that pushes nothing has
 * no registry to choose for: buildx's own default applies then.
 */
export function chooseAttestations(
  tags: readonly string[],
  explicit: { provenance?: string; sbom?: string },
  target: { pushes: boolean; driver?: string } = { pushes: true },
): AttestationChoice {
  const given = [explicit.provenance !== undefined && 'provenance', explicit.sbom !== undefined && 'sbom'].filter(Boolean);
  if (target.driver === 'docker' || !target.pushes) {
    const why = target.driver === 'docker' ? 'the docker driver makes none' : 'nothing is pushed';
    return {
      ...explicit,
      explanation: `attestations: buildx's default (${why})${given.length > 0 ? `; ${given.join(' and ')} as given` : ''}`,
    };
  }
  const acr = tags.map((t) => parseImageRef(t).registry).find(isAcrHost);
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
