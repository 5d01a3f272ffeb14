/**
 * Demo-province seeding: on `npm run hs -- start` (and so `./hongyan start`), the demo org spec
 * `homeserver/demo/province.yaml` is applied through the same provisioning code admins use
 * (`applyOrgSpec`), so the demo is exactly what a real deployment gets. It runs on the first start
 * only (see {@link runSeed}). Passwords are generated per account on creation and kept, with each
 * account's unit and roles, in an owner-only file in the instance's secrets folder.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  demoAccountsFile,
  formatDemoAccounts,
  readDemoAccounts,
  writeDemoAccounts,
  type DemoAccount,
} from '../homeserver/demo-accounts';
import { KitError } from '../homeserver/errors';
import { KIT_DIR } from '../homeserver/paths';
import type { SeedContext } from '../homeserver/seed';
import { parseSpecYaml } from '../shared/org/spec-source';
import { formatSpecError, type OrgSpec } from '../shared/org/spec-types';
import { validateOrgSpec } from '../shared/org/spec-validate';
import { applyOrgSpec } from './apply';

export type { DemoAccount } from '../homeserver/demo-accounts';

/** The demo org spec shipped with the kit. */
export const DEMO_SPEC_FILE = path.join(KIT_DIR, 'demo', 'province.yaml');

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
  /** Owner-only JSON file where generated demo passwords and the accounts are kept. */
  credentialsFile: string;
  /** The spec to apply; the shipped demo province by default. */
  specFile?: string;
  log?: (message: string) => void;
}

/**
 * Applies the demo org spec and returns every demo account with its password. Each generated
 * password is saved before its account is created, so an interrupted seed never loses one.
 */
export async function seedDemoProvince(
  opts: SeedDemoOptions,
): Promise<{ accounts: DemoAccount[]; writes: number }> {
  const spec = await loadSpecFile(opts.specFile ?? DEMO_SPEC_FILE);
  const record = await readDemoAccounts(opts.credentialsFile);
  const { passwords } = record;
  const save = () => writeDemoAccounts(opts.credentialsFile, record);
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
  record.accounts = accounts;
  record.seededAt = new Date().toISOString();
  await save();
  return { accounts, writes: result.writes };
}

/**
 * The seeding hook (`SeedHook`, `homeserver/seed.ts`) that `npm run hs -- start` runs once Synapse answers and the admin exists (skip with `--no-seed`).
 * It seeds once: after the first complete seed it leaves the province alone, so names, rooms and
 * members changed since (through the app or the API) are never reverted. An interrupted first seed
 * resumes on the next start (applying is idempotent). The passwords are printed on the first start
 * only; `npm run hs -- accounts` prints them again.
 */
export async function runSeed(ctx: SeedContext): Promise<void> {
  const credentialsFile = demoAccountsFile(ctx.instance.paths);
  const existing = await readDemoAccounts(credentialsFile);
  if (existing.seededAt) {
    ctx.log(
      `Demo province 示范省 seeded on ${existing.seededAt}; not re-applied, so later changes stay. ` +
        '`npm run hs -- accounts` prints the demo accounts and passwords.',
    );
    return;
  }
  ctx.log('Seeding the demo province 示范省 (first start)…');
  const { accounts, writes } = await seedDemoProvince({
    homeserverUrl: ctx.instance.baseUrl,
    serverName: ctx.instance.serverName,
    adminToken: ctx.admin.accessToken,
    credentialsFile,
    log: ctx.log,
  });
  ctx.log(`Demo province seeded (${writes} writes).`);
  ctx.log(
    `\nDemo accounts (kept in ${credentialsFile}, owner-only; \`npm run hs -- accounts\` prints them again):\n`,
  );
  ctx.log(formatDemoAccounts(accounts));
  ctx.log('');
}
