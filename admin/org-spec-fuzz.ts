/**
 * Fuzzing of org specs and CSV user lists (fast-check) through what `admin validate/plan/apply` do
 * with them: YAML and CSV parsing, validation, the desired state and the planner. Every input must
 * end either in a plan or in errors that each name a file and a field; nothing may throw. Test and
 * benchmark support only.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import {
  genericMutations,
  HTML_PAYLOADS,
  hostileVariant,
  hugeString,
  setAt,
} from '../shared/fuzz/hostile-json';
import type { Json, Mutator } from '../shared/fuzz/hostile-json';
import { buildDesiredState } from '../shared/org/desired-state';
import { formatPlan } from '../shared/org/plan-format';
import { planOrg } from '../shared/org/planner';
import { parseSpecYaml } from '../shared/org/spec-source';
import { formatSpecError } from '../shared/org/spec-types';
import { validateOrgSpec } from '../shared/org/spec-validate';
import { generateSyntheticProvince } from '../shared/org/synthetic-spec';
import { mergeCsvUsers, usersFromCsv } from '../shared/org/users-csv';
import { parseCsvText } from './spec-files';

/** One hostile import: spec text, an optional CSV user list, and what was done to them. */
export interface HostileImport {
  yaml: string;
  csv?: string;
  mutations: string[];
}

const baseSpec = (): Json =>
  generateSyntheticProvince({
    cities: 1,
    countiesPerCity: 2,
    departmentsPerCounty: 1,
    users: 8,
  }) as unknown as Json;

/** Org-specific damage: a unit its own ancestor, duplicated codes, unknown roles and levels. */
const specMutations: fc.Arbitrary<Mutator>[] = [
  ...genericMutations(),
  fc.nat().map((i) => (c: Json) => {
    const units = (c as { units?: { code?: unknown; parent?: unknown }[] }).units ?? [];
    const a = units[i % Math.max(units.length, 1)];
    const b = units[(i + 1) % Math.max(units.length, 1)];
    if (a && b) {
      a.parent = b.code;
      b.parent = a.code;
    }
    return 'cycle';
  }),
  fc.nat().map((i) => (c: Json) => {
    const units = (c as { units?: unknown[] }).units ?? [];
    if (units.length > 0) units.push(units[i % units.length]);
    return 'duplicate-unit';
  }),
  fc
    .tuple(fc.nat(), fc.constantFrom('roles', 'level'), fc.string({ maxLength: 10 }))
    .map(([i, field, v]) => (c: Json) => {
      const list = field === 'roles' ? 'users' : 'units';
      setAt(c, [list, i % 8, field], field === 'roles' ? [v] : v);
      return `unknown-${field}`;
    }),
];

/** Text that is not quite YAML, or YAML built to hurt: alias bombs, tabs, NULs, huge scalars. */
const hostileYamlText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    'a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nunits: *c\n',
    'version: 1\nunits:\n\t- code: x\n',
    'version: 1\nunits: !!js/function "function(){}"\n',
    '\u0000\uFEFFversion: 1',
    '---\n...\n---\n',
    'version: 1\nunits: [{code: a, name: a, level: province}]\nunits: []\n',
  ),
  hugeString.map((s) => `version: 1\nunits:\n  - code: "${s.replace(/"/g, '')}"\n`),
);

const csvCell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...HTML_PAYLOADS, '=HYPERLINK("http://evil")', '"', '""', '\n', ',', '\uFEFF'),
  hugeString,
);

/** A CSV user list: a plausible header and hostile rows, or plain garbage. */
const hostileCsv = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('username,displayName,unit,roles', '用户名,姓名,单位,角色', 'user,user,unit'),
      fc.array(fc.array(csvCell, { maxLength: 6 }), { maxLength: 8 }),
      fc.boolean(),
    )
    .map(([header, rows, quote]) =>
      [
        header,
        ...rows.map((r) =>
          r.map((cell) => (quote ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','),
        ),
      ].join('\r\n'),
    ),
  fc.string({ maxLength: 300 }),
);

/** Hostile spec and CSV imports, in three flavours: damaged specs, damaged text, damaged CSV. */
export const hostileImport: fc.Arbitrary<HostileImport> = fc.oneof(
  hostileVariant(baseSpec, specMutations).map(({ content, mutations }) => ({
    // JSON is YAML too, and unlike a YAML writer it takes junk nested thousands deep.
    yaml: JSON.stringify(content, null, 1),
    mutations,
  })),
  hostileYamlText.map((yaml) => ({ yaml, mutations: ['hostile-yaml-text'] })),
  hostileCsv.map((csv) => ({
    yaml: stringify(baseSpec()),
    csv,
    mutations: ['hostile-csv'],
  })),
);

/**
 * Runs one import as `admin plan` would (against an empty server). Returns a problem when the
 * outcome is neither a plan nor errors that each name a file and a field; throws on a crash.
 */
export function checkImport(input: HostileImport): {
  outcome: 'planned' | 'rejected';
  problem?: string;
} {
  let source = parseSpecYaml(input.yaml, 'org.yaml');
  if (input.csv !== undefined) {
    const csv = parseCsvText(input.csv, 'users.csv');
    const users = usersFromCsv({ file: 'users.csv', headers: csv.headers, records: csv.records });
    source = mergeCsvUsers(source, { ...users, errors: [...csv.errors, ...users.errors] });
  }
  const result = validateOrgSpec(source);
  if (!result.ok) {
    const vague = result.errors.find((e) => !e.file || !e.field || !e.message);
    if (result.errors.length === 0) return { outcome: 'rejected', problem: 'no error given' };
    return vague
      ? {
          outcome: 'rejected',
          problem: `an error names no file or field: ${formatSpecError(vague)}`,
        }
      : { outcome: 'rejected' };
  }
  const desired = buildDesiredState({
    spec: result.spec,
    serverName: 'gov.example',
    adminUserId: '@provisioner:gov.example',
  });
  const plan = planOrg({
    desired,
    snapshot: {
      serverName: 'gov.example',
      adminUserId: '@provisioner:gov.example',
      rooms: [],
      users: [],
    },
  });
  formatPlan(plan, { details: true });
  return { outcome: 'planned' };
}

/** Checks every import; counts crashes (exceptions) and other problems. */
export function fuzzImports(inputs: readonly HostileImport[]): {
  inputs: number;
  crashes: number;
  failures: string[];
  rejected: number;
} {
  const out = { inputs: inputs.length, crashes: 0, failures: [] as string[], rejected: 0 };
  for (const [i, input] of inputs.entries()) {
    try {
      const { outcome, problem } = checkImport(input);
      if (outcome === 'rejected') out.rejected += 1;
      if (problem) out.failures.push(`import ${i} (${input.mutations.join(', ')}): ${problem}`);
    } catch (err) {
      out.crashes += 1;
      out.failures.push(
        `crash on import ${i} (${input.mutations.join(', ')}): ${(err as Error).message}`,
      );
    }
  }
  return out;
}
