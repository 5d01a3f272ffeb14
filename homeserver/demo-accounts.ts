/**
 * The demo accounts file, `secrets/demo-accounts.json` (owner-only): every demo account with its
 * unit, roles and generated password, and when the demo was seeded. The seed writes it; `start`
 * prints it on the first start only, and `npm run hs -- accounts` prints it on request.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KitError } from './errors';
import type { UnitRole } from '../shared/org/types';
import type { InstancePaths } from './paths';
import { writeOwnerOnly } from './secrets';

/** One demo account. The password is a secret of the local demo only. */
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

/** What the file holds. */
export interface DemoAccountsRecord {
  /** Generated passwords by user id, saved before each account is created. */
  passwords: Record<string, string>;
  /** Every demo account, written once the seed completed. */
  accounts?: DemoAccount[];
  /** ISO time the seed completed; its presence means later starts do not seed again. */
  seededAt?: string;
}

/** The demo accounts file of an instance. */
export function demoAccountsFile(paths: InstancePaths): string {
  return path.join(paths.secretsDir, 'demo-accounts.json');
}

/** Reads the file; an absent file is an empty record, a broken one a {@link KitError} naming it. */
export async function readDemoAccounts(file: string): Promise<DemoAccountsRecord> {
  if (!existsSync(file)) return { passwords: {} };
  let parsed: Partial<DemoAccountsRecord>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<DemoAccountsRecord>;
  } catch {
    throw new KitError(
      `${file} is not valid JSON; delete it and the demo passwords will be unknown (reset the instance to regenerate them)`,
    );
  }
  return {
    passwords: parsed.passwords ?? {},
    ...(Array.isArray(parsed.accounts) ? { accounts: parsed.accounts } : {}),
    ...(typeof parsed.seededAt === 'string' ? { seededAt: parsed.seededAt } : {}),
  };
}

/** Writes the file owner-only, atomically. */
export async function writeDemoAccounts(file: string, record: DemoAccountsRecord): Promise<void> {
  await writeOwnerOnly(file, `${JSON.stringify(record, null, 2)}\n`);
}

// Typed by the role list so a new role cannot reach the table under its code name.
const ROLE_NAMES: Record<UnitRole, string> = {
  unit_admin: '单位管理员',
  issuer: '发文员',
  grid_worker: '网格员',
  member: '成员',
};

/** Formats the demo accounts as an aligned table for the terminal. */
export function formatDemoAccounts(accounts: readonly DemoAccount[]): string {
  const rows = accounts.map((a) => [
    a.username,
    a.password ?? '(unknown)',
    a.displayName,
    a.unitName,
    a.roles.map((r) => ROLE_NAMES[r as UnitRole] ?? r).join('、'),
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
