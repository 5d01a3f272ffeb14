/**
 * Zod schemas of the circular's structured data. One schema serves both directions: incoming events
 * are parsed with it, and content we build is checked against it, so we never send what we would
 * reject.
 */
import { UNIT_LEVELS } from '../org/types';
import { TARGET_SCOPES, URGENCIES } from './types';
import type { Circular, CircularAttachment, CircularTarget, EncryptedFile } from './types';
import { z } from './zod';

/** Field limits. Generous for real notices, small enough that a hostile event cannot swamp the UI. */
export const CIRCULAR_LIMITS = {
  titleChars: 200,
  docNumberChars: 100,
  unitCodeChars: 64,
  unitNameChars: 100,
  bodyChars: 20_000,
  attachments: 20,
  attachmentNameChars: 255,
  targets: 500,
} as const;

/** A circular id: a UUID (any version) or a ULID. */
export const CIRCULAR_ID_PATTERN =
  /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25})$/;

const MXC_PATTERN = /^mxc:\/\/[A-Za-z0-9.\-:[\]]+\/[A-Za-z0-9_-]+$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;
const MIME_TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MIMETYPE_PATTERN = new RegExp(`^${MIME_TOKEN}/${MIME_TOKEN}$`);

/** A string with at least one non-blank character and at most `max` characters. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, { message: 'must not be blank' });

/** Milliseconds since the epoch, within the range a JavaScript `Date` can represent. */
const timestamp = z
  .int()
  .nonnegative()
  .max(8_640_000_000_000_000, { message: 'is beyond the last representable date' });

export const circularIdSchema = z
  .string()
  .regex(CIRCULAR_ID_PATTERN, { message: 'must be a UUID or ULID' });

const encryptedFileSchema: z.ZodType<EncryptedFile> = z.object({
  url: z.string().regex(MXC_PATTERN, { message: 'must be an mxc:// URI' }),
  key: z.object({
    kty: z.literal('oct'),
    key_ops: z
      .array(z.string())
      .refine((ops) => ops.includes('encrypt') && ops.includes('decrypt'), {
        message: 'must include "encrypt" and "decrypt"',
      }),
    alg: z.literal('A256CTR'),
    k: z.string().regex(BASE64URL_PATTERN, { message: 'must be unpadded base64url' }),
    ext: z.literal(true),
  }),
  iv: z.string().regex(BASE64_PATTERN, { message: 'must be base64' }),
  hashes: z
    .object({ sha256: z.string().regex(BASE64_PATTERN, { message: 'must be base64' }) })
    .catchall(z.string()),
  v: z.literal('v2'),
});

const attachmentSchema: z.ZodType<CircularAttachment> = z.object({
  name: text(CIRCULAR_LIMITS.attachmentNameChars),
  mimetype: z
    .string()
    .regex(MIMETYPE_PATTERN, { message: 'must be a MIME type like application/pdf' }),
  size: z.int().nonnegative(),
  file: encryptedFileSchema,
});

const targetSchema: z.ZodType<CircularTarget> = z
  .object({
    unitCode: text(CIRCULAR_LIMITS.unitCodeChars),
    scope: z.enum(TARGET_SCOPES),
    level: z.enum(UNIT_LEVELS).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.scope === 'level' && t.level === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['level'],
        message: 'is required when scope is "level"',
      });
    }
    if (t.scope !== 'level' && t.level !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['level'],
        message: `is only allowed when scope is "level" (scope is "${t.scope}")`,
      });
    }
  });

/** Schema of the structured circular (the value under the `cn.hongyan.circular` key). */
export const circularSchema: z.ZodType<Circular> = z
  .object({
    id: circularIdSchema,
    title: text(CIRCULAR_LIMITS.titleChars),
    docNumber: text(CIRCULAR_LIMITS.docNumberChars).optional(),
    issuingUnit: z.object({
      code: text(CIRCULAR_LIMITS.unitCodeChars),
      name: text(CIRCULAR_LIMITS.unitNameChars),
    }),
    urgency: z.enum(URGENCIES),
    issuedAt: timestamp,
    ackDeadline: timestamp.optional(),
    ackRequired: z.boolean(),
    attachments: z.array(attachmentSchema).max(CIRCULAR_LIMITS.attachments),
    targets: z.array(targetSchema).min(1).max(CIRCULAR_LIMITS.targets),
    noForward: z.boolean(),
    body: z.string().max(CIRCULAR_LIMITS.bodyChars),
  })
  .superRefine((c, ctx) => {
    if (c.ackDeadline === undefined) return;
    if (!c.ackRequired) {
      ctx.addIssue({
        code: 'custom',
        path: ['ackDeadline'],
        message: 'is only allowed when ackRequired is true',
      });
    } else if (c.ackDeadline <= c.issuedAt) {
      ctx.addIssue({ code: 'custom', path: ['ackDeadline'], message: 'must be after issuedAt' });
    }
  });
