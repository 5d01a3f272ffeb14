/**
 * `sync-ldap`: makes the server follow the staff directory. Reads the directory's units and people,
 * turns them into an org spec (shared/org/directory-spec.ts) and runs the ordinary plan/apply with
 * pruning: the directory is the source of truth, so a person it no longer lists, or lists as
 * disabled, is deactivated (signed out everywhere, out of every room). Each synced person's
 * identity-platform subject is linked to their account for single sign-on.
 */
import { Client } from 'ldapts';
import {
  formatDirectoryProblem,
  specFromDirectory,
  type DirectoryEntry,
  type DirectoryProblem,
} from '../shared/org/directory-spec';
import type { OrgSpec } from '../shared/org/spec-types';
import type { ApplyOrgSpecResult, OrgConnection, PlannedOrgSpec } from './apply';
import { applyOrgSpec, planOrgSpec } from './apply';
import { linkSsoSubject } from './sso-links';
import { whoAmI } from './snapshot-reader';
import { SynapseClient } from './synapse-client';

/** Where the directory is and how to read it. */
export interface DirectorySource {
  /** `ldap://host:port` (or `ldaps://`). */
  uri: string;
  /** Subtree holding the units and people, e.g. `ou=units,dc=demo,dc=gov,dc=cn`. */
  base: string;
  /** A reader account; anonymous when absent. */
  bindDn?: string;
  bindPassword?: string;
}

/** The directory has malformed entries; nothing was applied. */
export class DirectorySyncError extends Error {
  constructor(readonly problems: DirectoryProblem[]) {
    super(
      `the directory has ${problems.length} malformed entr${problems.length === 1 ? 'y' : 'ies'}; nothing was changed:\n` +
        problems.map((p) => `  ${formatDirectoryProblem(p)}`).join('\n'),
    );
    this.name = 'DirectorySyncError';
  }
}

const ATTRIBUTES = [
  'objectClass',
  'ou',
  'description',
  'businessCategory',
  'uid',
  'cn',
  'title',
  'employeeType',
];

/** Reads every unit and person under `base`. */
export async function readDirectory(source: DirectorySource): Promise<DirectoryEntry[]> {
  const client = new Client({ url: source.uri, timeout: 30_000, connectTimeout: 10_000 });
  try {
    if (source.bindDn) await client.bind(source.bindDn, source.bindPassword ?? '');
    const { searchEntries } = await client.search(source.base, {
      scope: 'sub',
      filter: '(|(objectClass=organizationalUnit)(objectClass=inetOrgPerson))',
      attributes: ATTRIBUTES,
      paged: { pageSize: 500 },
    });
    return searchEntries.map((e) => {
      const attributes: Record<string, string[]> = {};
      for (const [name, value] of Object.entries(e)) {
        if (name === 'dn') continue;
        const values = Array.isArray(value) ? value : [value];
        attributes[name.toLowerCase()] = values.map((v) =>
          Buffer.isBuffer(v) ? v.toString('utf8') : String(v),
        );
      }
      return { dn: e.dn, attributes };
    });
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** The directory's org spec; throws {@link DirectorySyncError} naming each malformed entry. */
export async function directorySpec(
  source: DirectorySource,
): Promise<{ spec: OrgSpec; subjects: Map<string, string>; disabled: string[] }> {
  const result = specFromDirectory(await readDirectory(source));
  if (!result.ok) throw new DirectorySyncError(result.problems);
  return result;
}

/** Previews a sync: the plan an apply would carry out (reads only). */
export async function planLdapSync(
  opts: OrgConnection & { directory: DirectorySource },
): Promise<PlannedOrgSpec & { disabled: string[] }> {
  const { spec, disabled } = await directorySpec(opts.directory);
  return { ...(await planOrgSpec({ ...opts, spec, prune: true })), disabled };
}

/** Result of {@link applyLdapSync}. */
export interface LdapSyncResult extends ApplyOrgSpecResult {
  /** SSO subjects linked by this run (already-linked ones are not counted). */
  linked: number;
}

/**
 * Applies the directory: idempotent (a second run writes nothing) and resumable, like apply.
 * Refuses the whole run when any entry is malformed.
 */
export async function applyLdapSync(
  opts: OrgConnection & {
    directory: DirectorySource;
    /** `auth_provider` under which subjects are linked (`oidc-province`); no linking when absent. */
    ssoAuthProvider?: string;
    onPassword?: (userId: string, password: string) => void | Promise<void>;
  },
): Promise<LdapSyncResult> {
  const { spec, subjects } = await directorySpec(opts.directory);
  const applied = await applyOrgSpec({
    ...opts,
    spec,
    prune: true,
    ...(opts.onPassword ? { onPassword: opts.onPassword } : {}),
  });
  let linked = 0;
  if (opts.ssoAuthProvider) {
    const client = new SynapseClient({ baseUrl: opts.homeserverUrl, token: opts.adminToken });
    const { serverName } = await whoAmI(client);
    for (const [username, subject] of subjects) {
      const outcome = await linkSsoSubject(client, {
        userId: `@${username}:${serverName}`,
        authProvider: opts.ssoAuthProvider,
        subject,
      });
      if (outcome === 'linked') linked += 1;
    }
  }
  return { ...applied, linked };
}
