/**
 * Demo-province seeding: on `npm run hs -- start` (and so `./hongyan start`), the demo org spec
 * `homeserver/demo/province.yaml` is applied through the same provisioning code admins use
 * (`applyOrgSpec`), so the demo is exactly what a real deployment gets. Applying is idempotent:
 * after the first start it plans zero writes. Passwords are generated per account on creation,
 * kept in an owner-only file in the instance's secrets folder, and printed at start.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyOrgSpec } from '../admin/apply';
import { parseSpecYaml } from '../shared/org/spec-source';
import { formatSpecError, type OrgSpec } from '../shared/org/spec-types';
import { validateOrgSpec } from '../shared/org/spec-validate';
import type { MatrixUser, RegisterUserOptions } from './admin-api';
import { KitError } from './errors';
import type { HomeserverInstance } from './instance';
import { KIT_DIR } from './paths';
import { writeOwnerOnly } from './secrets';

/** The demo org spec shipped with the kit. */
export const DEMO_SPEC_FILE = path.join(KIT_DIR, 'demo', 'province.yaml');

/** What `start` hands the seeding hook. */
export interface SeedContext {
  /** The running instance. */
  instance: HomeserverInstance;
  /** The kit's server-admin user, with a working access token. */
  admin: MatrixUser;
  /** Registers a user through the shared-secret admin API (fails with code `user-exists` if taken). */
  registerUser: (opts: RegisterUserOptions) => Promise<MatrixUser>;
  /** Progress output for the person running `start`. */
  log: (message: string) => void;
}

/** One demo account as printed at start. The password is a secret of the local demo only. */
export interface DemoAccount {
  userId: string;
  username: string;
  displayName: string;
  unitCode: string;
  unitName: string;
  position?: string;
  roles: string[];
  /** Undefined when the account predates the credentials file (e.g. the file was deleted). */
  password?: string;
}

/** Reads and validates an org spec file, with errors naming file, line and field. */
export async function loadSpecFile(file: string): Promise<OrgSpec> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new KitError(`cannot read the demo org spec ${file}: ${err.code ?? err.message}`);
  });
  const source = parseSpecYaml(text, file);
  const result = source.errors.length
    ? { ok: false as const, errors: source.errors }
    : validateOrgSpec(source);
  if (!result.ok)
    throw new KitError(
      `the demo org spec is invalid:\n${result.errors.map(formatSpecError).join('\n')}`,
    );
  return result.spec;
}

/** Options of {@link seedDemoProvince}. */
export interface SeedDemoOptions {
  homeserverUrl: string;
  serverName: string;
  /** A server admin's access token (sent in a header only). */
  adminToken: string;
  /** Owner-only JSON file where generated demo passwords are kept. */
  credentialsFile: string;
  /** The spec to apply; the shipped demo province by default. */
  specFile?: string;
  log?: (message: string) => void;
}

async function readPasswords(file: string): Promise<Record<string, string>> {
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as {
      passwords?: Record<string, string>;
    };
    return parsed.passwords ?? {};
  } catch {
    throw new KitError(
      `${file} is not valid JSON; delete it and the demo passwords will be unknown (reset the instance to regenerate them)`,
    );
  }
}

/**
 * Applies the demo org spec and returns every demo account with its password. Each generated
 * password is saved before its account is created, so an interrupted seed never loses one.
 */
export async function seedDemoProvince(
  opts: SeedDemoOptions,
): Promise<{ accounts: DemoAccount[]; writes: number }> {
  const spec = await loadSpecFile(opts.specFile ?? DEMO_SPEC_FILE);
  const passwords = await readPasswords(opts.credentialsFile);
  const save = () =>
    writeOwnerOnly(opts.credentialsFile, `${JSON.stringify({ passwords }, null, 2)}\n`);
  let lastShown = -1;
  const result = await applyOrgSpec({
    homeserverUrl: opts.homeserverUrl,
    adminToken: opts.adminToken,
    spec,
    onPassword: async (userId, password) => {
      passwords[userId] = password;
      await save();
    },
    onProgress: (p) => {
      const pct = p.total ? Math.floor((p.done / p.total) * 10) : 10;
      if (pct !== lastShown) {
        lastShown = pct;
        opts.log?.(`  seeding the demo province: ${p.done}/${p.total}`);
      }
    },
  });
  const unitNames = new Map(spec.units.map((u) => [u.code, u.name]));
  const accounts = spec.users.map((u): DemoAccount => {
    const userId = `@${u.username}:${opts.serverName}`;
    const password = u.password ?? passwords[userId];
    return {
      userId,
      username: u.username,
      displayName: u.displayName,
      unitCode: u.unit,
      unitName: unitNames.get(u.unit) ?? u.unit,
      roles: u.roles ?? ['member'],
      ...(u.position ? { position: u.position } : {}),
      ...(password ? { password } : {}),
    };
  });
  return { accounts, writes: result.writes };
}

const ROLE_NAMES: Record<string, string> = {
  unit_admin: '单位管理员',
  issuer: '发文员',
  member: '成员',
};

/** Formats the demo accounts as an aligned table for the terminal. */
export function formatDemoAccounts(accounts: readonly DemoAccount[]): string {
  const rows = accounts.map((a) => [
    a.username,
    a.password ?? '(unknown)',
    a.displayName,
    a.unitName,
    a.roles.map((r) => ROLE_NAMES[r] ?? r).join('、'),
  ]);
  const header = ['username', 'password', '姓名', '单位', '角色'];
  // CJK characters take two terminal columns.
  const width = (s: string) =>
    [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const cols = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat((cols[i] ?? 0) - width(c)))
      .join('  ')
      .trimEnd();
  return [line(header), line(cols.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

/**
 * The seeding hook `start` runs once Synapse answers and the admin exists (skip with `--no-seed`).
 * Idempotent: it re-applies the demo spec, which writes nothing when the province already exists.
 */
export async function runSeed(ctx: SeedContext): Promise<void> {
  const credentialsFile = path.join(ctx.instance.paths.secretsDir, 'demo-accounts.json');
  ctx.log('Seeding the demo province 示范省 (idempotent)…');
  const { accounts, writes } = await seedDemoProvince({
    homeserverUrl: ctx.instance.baseUrl,
    serverName: ctx.instance.serverName,
    adminToken: ctx.admin.accessToken,
    credentialsFile,
    log: ctx.log,
  });
  ctx.log(
    writes === 0
      ? 'Demo province already in place (0 writes).'
      : `Demo province seeded (${writes} writes).`,
  );
  ctx.log(`\nDemo accounts (passwords kept in ${credentialsFile}, owner-only):\n`);
  ctx.log(formatDemoAccounts(accounts));
  ctx.log('');
}
