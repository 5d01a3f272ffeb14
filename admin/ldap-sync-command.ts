/**
 * `npm run admin -- sync-ldap [--plan]`: the command-line face of {@link applyLdapSync}. The
 * directory is named by options or environment variables; its reader password comes from a file.
 */
import { readFile } from 'node:fs/promises';
import { formatPlan } from '../shared/org/plan-format';
import { OIDC_AUTH_PROVIDER } from '../homeserver/identity/synapse-identity';
import type { OrgConnection } from './apply';
import { audited } from './audit/audit-command';
import { applyLdapSync, planLdapSync, type DirectorySource } from './ldap-sync';

/** The command's own options (see the usage text in cli.ts). */
export interface SyncLdapOptions {
  plan?: boolean | undefined;
  summary?: boolean | undefined;
  linkSso?: boolean | undefined;
  ldapUri?: string | undefined;
  ldapBase?: string | undefined;
  ldapBindDn?: string | undefined;
  ldapPasswordFile?: string | undefined;
}

/** Names the directory from options, falling back to `HONGYAN_LDAP_*` variables. */
export async function directoryFrom(opts: SyncLdapOptions): Promise<DirectorySource> {
  const env = process.env;
  const uri = opts.ldapUri ?? env.HONGYAN_LDAP_URI;
  const base = opts.ldapBase ?? env.HONGYAN_LDAP_BASE;
  if (!uri) throw new Error('no directory: pass --ldap-uri URI or set HONGYAN_LDAP_URI');
  if (!base) throw new Error('no directory base: pass --ldap-base DN or set HONGYAN_LDAP_BASE');
  const bindDn = opts.ldapBindDn ?? env.HONGYAN_LDAP_BIND_DN;
  const passwordFile = opts.ldapPasswordFile ?? env.HONGYAN_LDAP_PASSWORD_FILE;
  if (bindDn && !passwordFile)
    throw new Error(
      '--ldap-bind-dn needs --ldap-password-file (the password never goes on the command line)',
    );
  const bindPassword = passwordFile ? (await readFile(passwordFile, 'utf8')).trim() : undefined;
  return {
    uri,
    base,
    ...(bindDn ? { bindDn } : {}),
    ...(bindPassword !== undefined ? { bindPassword } : {}),
  };
}

/** Runs the command; returns the exit code. */
export async function runSyncLdapCommand(params: {
  options: SyncLdapOptions;
  connection: OrgConnection;
  audit: Omit<Parameters<typeof audited>[0], 'connection'>;
}): Promise<number> {
  const { options, connection } = params;
  const directory = await directoryFrom(options);
  const audit = { ...params.audit, connection };
  const target = `${directory.uri} ${directory.base}`;
  if (options.plan) {
    const planned = await audited(
      audit,
      { action: 'org.sync-ldap.plan', target },
      () => planLdapSync({ ...connection, directory }),
      ({ plan }) => ({
        detail: { actions: plan.actions.length, conflicts: plan.conflicts.length },
      }),
    );
    console.log(formatPlan(planned.plan, { details: !options.summary }));
    if (planned.disabled.length > 0)
      console.log(`Disabled in the directory: ${planned.disabled.join(', ')}`);
    return planned.plan.conflicts.length > 0 ? 1 : 0;
  }
  const result = await audited(
    audit,
    { action: 'org.sync-ldap', target, detail: { linkSso: options.linkSso ?? false } },
    () =>
      applyLdapSync({
        ...connection,
        directory,
        ...(options.linkSso ? { ssoAuthProvider: OIDC_AUTH_PROVIDER } : {}),
      }),
    (r) => ({ detail: { writes: r.writes, summary: r.summary, linked: r.linked } }),
  );
  const done = Object.entries(result.summary).map(([k, v]) => `${v} ${k}`);
  console.log(
    done.length === 0
      ? 'No changes: the server already follows the directory.'
      : `Applied: ${done.join(', ')}.`,
  );
  if (options.linkSso) console.log(`${result.linked} single sign-on subject(s) linked.`);
  return 0;
}
