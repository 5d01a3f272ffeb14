/** Specs written as YAML in a test, and the desired state they give against an empty server. */
import { buildDesiredState } from '../desired-state';
import { parseSpecYaml } from '../spec-source';
import type { OrgSpec } from '../spec-types';
import { validateOrgSpec } from '../spec-validate';
import { emptySnapshot } from './simulate-apply';

/** The validated spec of a YAML text; throws with the validation errors. */
export function specOf(text: string): OrgSpec {
  const r = validateOrgSpec(parseSpecYaml(text, 'spec.yaml'));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.spec;
}

/** An empty server: no rooms, no users but the provisioning account. */
export const SERVER = emptySnapshot();

/** The desired state of `spec` on {@link SERVER}. */
export const desiredOf = (spec: OrgSpec): ReturnType<typeof buildDesiredState> =>
  buildDesiredState({ spec, serverName: SERVER.serverName, adminUserId: SERVER.adminUserId });
