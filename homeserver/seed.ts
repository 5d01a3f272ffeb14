import type { MatrixUser, RegisterUserOptions } from './admin-api';
import type { HomeserverInstance } from './instance';

/** What the seeding hook gets from `start`. */
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

/**
 * Demo-province seeding hook. `npm run hs -- start` calls it once Synapse answers and the admin
 * user exists (skip with `--no-seed`). It must be idempotent: it runs on every start, also
 * against an instance that was seeded before.
 *
 * It does nothing yet: creating the demo province (its org-unit spaces, rooms and users) belongs here.
 */
export async function runSeed(_ctx: SeedContext): Promise<void> {
  // Intentionally empty until the demo-province seed is written.
}
