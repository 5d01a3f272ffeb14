/**
 * Validates spec data: first against the JSON schema (ajv), then the rules that relate records to
 * each other. Every error names its file, line and field.
 */
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import { ORG_SPEC_SCHEMA } from './spec-schema';
import { formatSpecPath } from './spec-types';
import type {
  OrgSpec,
  SpecError,
  SpecErrorKind,
  SpecLocator,
  SpecPath,
  SpecSource,
} from './spec-types';
import { UNIT_LEVELS } from './types';
import type { UnitLevel } from './types';

const validateSchema = new Ajv({ allErrors: true, strict: true }).compile(ORG_SPEC_SCHEMA);

/** Result of validation: the typed spec, or every problem found. */
export type SpecValidation = { ok: true; spec: OrgSpec } | { ok: false; errors: SpecError[] };

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describeSchemaError(e: ErrorObject): {
  path: (string | number)[];
  message: string;
  atKey: boolean;
} {
  const path = pointerToPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        path: [...path, String(params.missingProperty)],
        message: `missing required field ${String(params.missingProperty)}`,
        atKey: false,
      };
    case 'additionalProperties':
      return {
        path: [...path, String(params.additionalProperty)],
        message: `unknown field ${String(params.additionalProperty)}`,
        atKey: true,
      };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}`,
        atKey: false,
      };
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}`, atKey: false };
    case 'pattern':
      return {
        path,
        message: `has characters that are not allowed (must match ${String(params.pattern)})`,
        atKey: false,
      };
    default:
      return { path, message: e.message ?? e.keyword, atKey: false };
  }
}

function schemaErrors(data: unknown, locate: SpecLocator): SpecError[] {
  if (validateSchema(data)) return [];
  const seen = new Set<string>();
  const out: SpecError[] = [];
  for (const e of validateSchema.errors ?? []) {
    const { path, message, atKey } = describeSchemaError(e);
    const field = formatSpecPath(path);
    if (seen.has(field)) continue; // one message per field: the first is the most specific
    seen.add(field);
    // A missing field has no position of its own: point at the object that lacks it.
    const where =
      e.keyword === 'required' ? locate(path.slice(0, -1)) : locate(path, { key: atKey });
    out.push({ ...where, kind: 'schema', field, message });
  }
  return out;
}

type Rec = Record<string, unknown>;
const asRecords = (v: unknown): Rec[] =>
  Array.isArray(v) ? v.filter((x): x is Rec => typeof x === 'object' && x !== null) : [];
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const rank = (level: UnitLevel): number => UNIT_LEVELS.indexOf(level);

/** Collects semantic errors; tolerant of structurally bad records, which the schema reports. */
function semanticErrors(data: unknown, locate: SpecLocator): SpecError[] {
  const errors: SpecError[] = [];
  const add = (kind: SpecErrorKind, path: SpecPath, message: string): void => {
    errors.push({ ...locate(path), kind, field: formatSpecPath(path), message });
  };
  const root = typeof data === 'object' && data !== null ? (data as Rec) : {};
  const units = asRecords(root.units);
  const users = asRecords(root.users);
  const indexByCode = new Map<string, number>();

  units.forEach((u, i) => {
    const code = str(u.code);
    if (code === undefined) return;
    const first = indexByCode.get(code);
    if (first !== undefined) {
      add(
        'duplicate-code',
        ['units', i, 'code'],
        `duplicate unit code "${code}" (first at line ${locate(['units', first, 'code']).line ?? '?'})`,
      );
    } else {
      indexByCode.set(code, i);
    }
    const slugs = new Set<string>();
    const rooms = typeof u.rooms === 'object' && u.rooms !== null ? (u.rooms as Rec) : {};
    asRecords(rooms.departments).forEach((d, j) => {
      const slug = str(d.slug);
      if (slug === undefined) return;
      if (slugs.has(slug))
        add(
          'duplicate-department',
          ['units', i, 'rooms', 'departments', j, 'slug'],
          `duplicate department room "${slug}" in unit "${code}"`,
        );
      slugs.add(slug);
    });
  });

  const parentIndex = (i: number): number | undefined => {
    const parent = str(units[i]?.parent);
    return parent === undefined ? undefined : indexByCode.get(parent);
  };
  const inCycle = new Set<number>();
  units.forEach((u, i) => {
    const parent = str(u.parent);
    if (parent === undefined || indexByCode.get(str(u.code) ?? '') !== i) return;
    if (!indexByCode.has(parent)) {
      add('unknown-parent', ['units', i, 'parent'], `unknown parent unit "${parent}"`);
      return;
    }
    // Walk up; a walk that comes back to i is a cycle. Report it once, at its first unit.
    const chain = [i];
    const visited = new Set<number>([i]);
    for (let p = parentIndex(i); p !== undefined; p = parentIndex(p)) {
      if (p === i) {
        if (!chain.some((c) => inCycle.has(c))) {
          const codes = [...chain, i].map((c) => str(units[c]?.code)).join(' → ');
          add('cycle', ['units', i, 'parent'], `units form a cycle: ${codes}`);
        }
        chain.forEach((c) => inCycle.add(c));
        return;
      }
      if (visited.has(p)) return; // a cycle above i, reported from its own units
      visited.add(p);
      chain.push(p);
    }
  });

  units.forEach((u, i) => {
    const level = u.level as UnitLevel;
    const p = parentIndex(i);
    if (p === undefined || inCycle.has(i) || !UNIT_LEVELS.includes(level)) return;
    const parentLevel = units[p]?.level as UnitLevel;
    if (!UNIT_LEVELS.includes(parentLevel) || level === 'department') return;
    if (parentLevel === 'department' || rank(level) <= rank(parentLevel)) {
      add(
        'level-order',
        ['units', i, 'level'],
        `a ${level} cannot sit under a ${parentLevel} ("${str(units[p]?.code)}")`,
      );
    }
  });

  units.forEach((u, i) => {
    const rooms = u.rooms as { residents?: unknown } | undefined;
    if (rooms?.residents !== true) return;
    const level = u.level as UnitLevel;
    if (level !== 'township' && level !== 'village')
      add(
        'residents-level',
        ['units', i, 'rooms', 'residents'],
        `residents' rooms belong to a township or village (社区/村), not a ${String(level)}`,
      );
  });

  const userIndex = new Map<string, number>();
  users.forEach((u, i) => {
    const name = str(u.username);
    if (name !== undefined) {
      const first = userIndex.get(name);
      if (first !== undefined) {
        const at = locate(['users', first, 'username']);
        add(
          'duplicate-username',
          ['users', i, 'username'],
          `duplicate username "${name}" (first at ${at.file}:${at.line ?? '?'})`,
        );
      } else {
        userIndex.set(name, i);
      }
    }
    const unit = str(u.unit);
    if (unit !== undefined && !indexByCode.has(unit))
      add('unknown-unit', ['users', i, 'unit'], `unknown unit "${unit}"`);
  });
  return errors;
}

/**
 * Validates a parsed spec (YAML, optionally merged with CSV users).
 *
 * @param source - Data with its locator and any syntax errors found while reading.
 * @returns The typed spec when valid; otherwise every error, sorted by file and line.
 */
export function validateOrgSpec(source: SpecSource): SpecValidation {
  if (source.errors.some((e) => e.kind === 'syntax')) return { ok: false, errors: source.errors };
  const errors = [
    ...source.errors,
    ...schemaErrors(source.data, source.locate),
    ...semanticErrors(source.data, source.locate),
  ];
  if (errors.length > 0) {
    errors.sort(
      (a, b) =>
        a.file.localeCompare(b.file) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0),
    );
    return { ok: false, errors };
  }
  const spec = source.data as OrgSpec;
  return { ok: true, spec: { ...spec, users: spec.users ?? [] } };
}
