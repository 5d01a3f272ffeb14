/**
 * JSON Schema of the org spec (see `spec-types.ts` and docs/provisioning.md). Structural rules live
 * here; rules that relate records to each other (unknown parents, cycles, duplicates) are semantic
 * checks in `spec-validate.ts`.
 */
import { UNIT_LEVELS, UNIT_ROLES } from './types';
import { ORG_SPEC_VERSION } from './spec-types';

/** Unit codes become part of room aliases, so they are restricted to alias-safe, case-free characters. */
export const UNIT_CODE_PATTERN = '^[0-9a-z][0-9a-z_-]{0,63}$';
/** Matrix user-ID localparts allowed by the spec (historical upper-case and `/` excluded). */
export const USERNAME_PATTERN = '^[a-z0-9._=-]{1,64}$';
/** Department room slugs become part of room aliases too. */
export const DEPARTMENT_SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{0,31}$';

const nonEmptyText = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } as const;

/** An object with exactly these properties (no others), of which `required` must be present. */
function record<P extends Record<string, unknown>>(
  properties: P,
  required: readonly (keyof P)[] = [],
) {
  return {
    type: 'object',
    additionalProperties: false,
    ...(required.length > 0 ? { required } : {}),
    properties,
  } as const;
}

/** An array of records, each as {@link record}. */
function records<P extends Record<string, unknown>>(properties: P, required: readonly (keyof P)[]) {
  return { type: 'array', items: record(properties, required) } as const;
}

/** The schema, draft-07 as ajv's default. */
export const ORG_SPEC_SCHEMA = {
  $id: 'https://hongyan.cn/schemas/org-spec.json',
  ...record(
    {
      version: { const: ORG_SPEC_VERSION },
      defaults: record({ allowAncestors: { type: 'boolean' } }),
      units: {
        ...records(
          {
            code: { type: 'string', pattern: UNIT_CODE_PATTERN },
            name: nonEmptyText,
            level: { enum: [...UNIT_LEVELS] },
            parent: { type: 'string', pattern: UNIT_CODE_PATTERN },
            allowAncestors: { type: 'boolean' },
            rooms: record({
              notice: { type: 'boolean' },
              work: { type: 'boolean' },
              residents: { type: 'boolean' },
              departments: records(
                { slug: { type: 'string', pattern: DEPARTMENT_SLUG_PATTERN }, name: nonEmptyText },
                ['slug', 'name'],
              ),
            }),
          },
          ['code', 'name', 'level'],
        ),
        minItems: 1,
      },
      users: records(
        {
          username: { type: 'string', pattern: USERNAME_PATTERN },
          displayName: nonEmptyText,
          unit: { type: 'string', pattern: UNIT_CODE_PATTERN },
          position: { type: 'string', maxLength: 200 },
          roles: { type: 'array', items: { enum: [...UNIT_ROLES] }, uniqueItems: true },
          password: { type: 'string', minLength: 8, maxLength: 512 },
        },
        ['username', 'displayName', 'unit'],
      ),
    },
    ['version', 'units'],
  ),
} as const;
