/**
 * `npm run admin -- <command>`: provisions the organisation on a Synapse homeserver from an org
 * spec. See docs/provisioning.md.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatSpecYaml } from '../shared/org/export-spec';
import { formatPlan } from '../shared/org/plan-format';
import { UNIT_ROLES } from '../shared/org/types';
import type { UnitRole } from '../shared/org/types';
import { exportOrgSpecFromServer, planOrgSpec } from './apply';
import type { OrgConnection } from './apply';
import { readAdminToken } from './secrets';
import { loadOrgSpec } from './spec-files';
import { deprovisionUser, moveUser } from './user-lifecycle';
import { runApplyCommand } from './apply-command';
import { runOrgAgentCommand } from './agent/agent-command';
import { rotateAgentKey } from './agent/agent-key';
import { runSyncLdapCommand } from './ldap-sync-command';
import { audited, runAuditCommand } from './audit/audit-command';
import { defaultAuditFile } from './audit/audit-log';
import { DEFAULT_DATA_DIR } from '../homeserver/paths';
import { SnapshotCache } from './snapshot-cache';

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  validate --spec FILE [--users FILE.csv]        check a spec offline
  plan     --spec FILE [--users FILE.csv] [--prune] [--summary] [--refresh]
                                                  show what apply would create, change or remove
  apply    --spec FILE [--users FILE.csv] [--prune] [--passwords-out FILE] [--concurrency N] [--refresh]
                                                  make the server match the spec (idempotent, resumable)
  export   [--out FILE]                           write the server's org as a spec (YAML)
  deprovision USER                                remove a leaver: leave all rooms, sign out, deactivate
  move USER --to CODE [--roles r1,r2] [--position TEXT]
                                                  move a user to another unit
  sync-ldap [--plan] [--summary] [--link-sso]     make the server follow the staff directory (LDAP):
                                                  people added, moved, disabled or removed; --plan
                                                  previews; --link-sso binds each person's
                                                  identity-platform subject (see docs/identity.md)
  agent    [--key-file FILE]                      run the org agent: carry out unit admins' requests
                                                  from the app (see docs/org-admin.md)
  agent rotate-key --key-file FILE                replace the agent's key for initial passwords; a
                                                  running agent publishes the new one on its next sync
  audit verify                                    check the audit log's chain (and its anchors when
                                                  the homeserver is given); names the first broken entry
  audit export [--from DATE] [--to DATE] [--out FILE.csv]
                                                  write the audit entries of [from, to) as CSV
  audit anchor                                    write the chain head into the audit room
  audit prune [--retention-days N]                drop entries older than the retention (default 180)

Snapshot cache (plan, apply): the room states last read, so that only rooms whose summary changed
are read again (see docs/provisioning.md); --refresh reads every room.
  --snapshot-cache FILE   or HONGYAN_SNAPSHOT_CACHE (default homeserver/data/org-snapshot.json)

Audit log (apply, plan, export, deprovision, move and the agent record into it):
  --audit-db FILE     or HONGYAN_AUDIT_DB (default homeserver/data/audit.db)

Directory (sync-ldap): --ldap-uri URI --ldap-base DN [--ldap-bind-dn DN --ldap-password-file FILE]
  or HONGYAN_LDAP_URI, HONGYAN_LDAP_BASE, HONGYAN_LDAP_BIND_DN, HONGYAN_LDAP_PASSWORD_FILE

Connection (all but validate):
  --homeserver URL    or HONGYAN_HOMESERVER
  --token-file FILE   an owner-only file holding a server-admin access token, or HONGYAN_ADMIN_TOKEN
`;

/** A usage error: exit code 2 and the usage text. */
class UsageError extends Error {}

const OPTIONS = {
  spec: { type: 'string' },
  users: { type: 'string' },
  prune: { type: 'boolean' },
  summary: { type: 'boolean' },
  'passwords-out': { type: 'string' },
  concurrency: { type: 'string' },
  out: { type: 'string' },
  to: { type: 'string' },
  roles: { type: 'string' },
  position: { type: 'string' },
  homeserver: { type: 'string' },
  'token-file': { type: 'string' },
  'key-file': { type: 'string' },
  'audit-db': { type: 'string' },
  'snapshot-cache': { type: 'string' },
  refresh: { type: 'boolean' },
  from: { type: 'string' },
  'retention-days': { type: 'string' },
  plan: { type: 'boolean' },
  'link-sso': { type: 'boolean' },
  'ldap-uri': { type: 'string' },
  'ldap-base': { type: 'string' },
  'ldap-bind-dn': { type: 'string' },
  'ldap-password-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

async function connection(values: Values): Promise<OrgConnection> {
  const homeserverUrl = values.homeserver ?? process.env.HONGYAN_HOMESERVER;
  if (!homeserverUrl)
    throw new UsageError('no homeserver: pass --homeserver URL or set HONGYAN_HOMESERVER');
  const adminToken = await readAdminToken(
    values['token-file'] === undefined ? {} : { tokenFile: values['token-file'] },
  );
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 32)
  ) {
    throw new UsageError('--concurrency must be a whole number from 1 to 32');
  }
  return { homeserverUrl, adminToken, ...(concurrency ? { concurrency } : {}) };
}

function auditFile(values: Values): string {
  return values['audit-db'] ?? defaultAuditFile();
}

function auditOpts(values: Values, conn: OrgConnection): Parameters<typeof audited>[0] {
  return { file: auditFile(values), connection: conn };
}

/** The spec named in an audit entry: its file name (with the users CSV when given). */
function specTarget(values: Values): string {
  const name = (f: string | undefined) => (f === undefined ? [] : [path.basename(f)]);
  return [...name(values.spec), ...name(values.users)].join(' + ');
}

async function specFrom(values: Values): Promise<Awaited<ReturnType<typeof loadOrgSpec>>> {
  if (values.spec === undefined) throw new UsageError('--spec FILE is required');
  return loadOrgSpec({
    specPath: values.spec,
    ...(values.users === undefined ? {} : { usersCsvPath: values.users }),
  });
}

function parseRoles(text: string | undefined): UnitRole[] | undefined {
  if (text === undefined) return undefined;
  const roles = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const bad = roles.filter((r) => !UNIT_ROLES.includes(r as UnitRole));
  if (bad.length > 0)
    throw new UsageError(`unknown role(s) ${bad.join(', ')}; roles are ${UNIT_ROLES.join(', ')}`);
  return roles as UnitRole[];
}

/** File options, resolved against the directory `npm run` was started from (npm runs scripts in the package root). */
const FILE_OPTIONS = [
  'spec',
  'users',
  'passwords-out',
  'out',
  'token-file',
  'audit-db',
  'snapshot-cache',
] as const;

/** The connection with the snapshot cache of plan and apply, opened from its file. */
async function withSnapshotCache(values: Values, conn: OrgConnection): Promise<OrgConnection> {
  const file =
    values['snapshot-cache'] ??
    process.env.HONGYAN_SNAPSHOT_CACHE ??
    path.join(DEFAULT_DATA_DIR, 'org-snapshot.json');
  const snapshotCache = await SnapshotCache.open(file);
  if (snapshotCache.problem) console.error(`note: ${snapshotCache.problem}`);
  return { ...conn, snapshotCache, ...(values.refresh ? { refresh: true } : {}) };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const { positionals } = parsed;
  const values: Values = { ...parsed.values };
  const baseDir = process.env.INIT_CWD ?? process.cwd();
  for (const key of FILE_OPTIONS) {
    const value = values[key];
    if (value !== undefined) values[key] = path.resolve(baseDir, value);
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  switch (command) {
    case 'validate': {
      const spec = await specFrom(values);
      console.log(`OK: ${spec.units.length} units, ${spec.users.length} users.`);
      return 0;
    }
    case 'plan': {
      const spec = await specFrom(values);
      const conn = await withSnapshotCache(values, await connection(values));
      const { plan } = await audited(
        auditOpts(values, conn),
        {
          action: 'org.plan',
          target: specTarget(values),
          detail: { prune: values.prune ?? false },
        },
        () => planOrgSpec({ ...conn, spec, prune: values.prune ?? false }),
        ({ plan: p }) => ({ detail: { actions: p.actions.length, conflicts: p.conflicts.length } }),
      );
      await conn.snapshotCache?.save();
      if (conn.snapshotCache) console.error(conn.snapshotCache.report());
      console.log(formatPlan(plan, { details: !values.summary }));
      return plan.conflicts.length > 0 ? 1 : 0;
    }
    case 'apply': {
      const spec = await specFrom(values);
      const conn = await withSnapshotCache(values, await connection(values));
      await runApplyCommand({
        connection: conn,
        spec,
        prune: values.prune ?? false,
        passwordsPath:
          values['passwords-out'] ??
          path.resolve(process.env.INIT_CWD ?? process.cwd(), 'hongyan-passwords.csv'),
        audit: auditOpts(values, conn),
        target: specTarget(values),
      });
      return 0;
    }
    case 'export': {
      const conn = await connection(values);
      const spec = await audited(
        auditOpts(values, conn),
        { action: 'org.export', target: values.out ?? 'stdout' },
        () => exportOrgSpecFromServer(conn),
        (r) => ({ detail: { units: r.units.length, users: r.users.length } }),
      );
      const yaml = formatSpecYaml(spec, {
        comment: `Exported from the homeserver on ${new Date().toISOString()}`,
      });
      if (values.out === undefined) process.stdout.write(yaml);
      else {
        await writeFile(values.out, yaml);
        console.log(
          `Wrote ${spec.units.length} units and ${spec.users.length} users to ${values.out}.`,
        );
      }
      return 0;
    }
    case 'deprovision': {
      const [user] = rest;
      if (user === undefined)
        throw new UsageError('deprovision needs a user: npm run admin -- deprovision USER');
      const conn = await connection(values);
      const r = await audited(
        auditOpts(values, conn),
        { action: 'user.deactivate', target: user },
        () => deprovisionUser({ ...conn, user }),
        (d) => ({ detail: { rooms: d.removedFrom.length, devices: d.devicesSignedOut } }),
      );
      console.log(
        `${r.userId} deactivated: removed from ${r.removedFrom.length} unit room(s), ${r.devicesSignedOut} device(s) signed out.`,
      );
      return 0;
    }
    case 'move': {
      const [user] = rest;
      if (user === undefined || values.to === undefined)
        throw new UsageError('usage: npm run admin -- move USER --to CODE');
      const roles = parseRoles(values.roles);
      const conn = await connection(values);
      const to = values.to;
      const r = await audited(
        auditOpts(values, conn),
        { action: 'user.move', target: user, detail: { to, ...(roles ? { roles } : {}) } },
        () =>
          moveUser({
            ...conn,
            user,
            to,
            ...(roles ? { roles } : {}),
            ...(values.position === undefined ? {} : { position: values.position }),
          }),
        (m) => ({ detail: { from: m.from, writes: m.writes } }),
      );
      const done = Object.entries(r.summary).map(([k, v]) => `${v} ${k}`);
      console.log(
        `${r.userId} moved from ${r.from} to ${r.to}: ${done.join(', ') || 'nothing to change'} (${r.writes} writes).`,
      );
      return 0;
    }
    case 'sync-ldap':
      return runSyncLdapCommand({
        options: {
          plan: values.plan,
          summary: values.summary,
          linkSso: values['link-sso'],
          ldapUri: values['ldap-uri'],
          ldapBase: values['ldap-base'],
          ldapBindDn: values['ldap-bind-dn'],
          ldapPasswordFile: values['ldap-password-file'],
        },
        connection: await connection(values),
        audit: { file: auditFile(values) },
      });
    case 'agent': {
      if (rest[0] === 'rotate-key') {
        const keyFile = values['key-file'];
        if (keyFile === undefined)
          throw new UsageError('agent rotate-key needs --key-file FILE (the agent key to replace)');
        const { previousKeyId, keyId } = await rotateAgentKey(path.resolve(baseDir, keyFile));
        console.log(
          `agent key rotated: ${previousKeyId ?? '(none)'} → ${keyId}. A running agent publishes it on its next sync; requests sealed to the old key are answered with "send again".`,
        );
        return 0;
      }
      if (rest.length > 0) throw new UsageError(`unknown agent command: ${rest[0]}`);
      const { homeserverUrl, adminToken } = await connection(values);
      await runOrgAgentCommand({
        homeserverUrl,
        adminToken,
        auditFile: auditFile(values),
        ...(values['key-file'] === undefined ? {} : { keyFile: values['key-file'] }),
      });
      return 0;
    }
    case 'audit': {
      const hasServer = (values.homeserver ?? process.env.HONGYAN_HOMESERVER) !== undefined;
      return runAuditCommand(rest[0], {
        file: auditFile(values),
        ...(hasServer || rest[0] !== 'verify' ? { connection: () => connection(values) } : {}),
        ...(values.from === undefined ? {} : { from: values.from }),
        ...(values.to === undefined ? {} : { to: values.to }),
        ...(values.out === undefined ? {} : { out: values.out }),
        ...(values['retention-days'] === undefined
          ? {}
          : { retentionDays: values['retention-days'] }),
      });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (
      err instanceof UsageError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`error: ${(err as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
