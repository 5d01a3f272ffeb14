/**
 * Programmatic entry points of the admin tool, for the homeserver kit's demo seeding, the tests
 * and the benchmarks. The CLI (`cli.ts`) is a thin layer over these.
 */
export { applyOrgSpec, exportOrgSpecFromServer, OrgConflictError, planOrgSpec } from './apply';
export type {
  ApplyOrgSpecOptions,
  ApplyOrgSpecResult,
  OrgConnection,
  PlannedOrgSpec,
} from './apply';
export type { ApplyProgress } from './executor';
export { loadOrgSpec, parseCsvText, SpecFileError } from './spec-files';
export { PasswordFile, readAdminToken, SecretFileError, TOKEN_ENV } from './secrets';
export { deprovisionUser, moveUser } from './user-lifecycle';
export type { DeprovisionResult, MoveResult } from './user-lifecycle';
