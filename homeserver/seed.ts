/**
 * The seam through which `start` seeds a fresh instance. The kit knows when to seed (after Synapse
 * answers and the server admin exists, unless `--no-seed`); what to seed belongs to the caller. The
 * demo province is applied by the admin tooling (`admin/seed-demo.ts`), which the `npm run hs`
 * entry point (`scripts/hs.ts`) passes in, so the kit never imports the admin code.
 */
import type { MatrixUser, RegisterUserOptions } from './admin-api';
import type { HomeserverInstance } from './instance';

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

/** Seeds the instance `start` just brought up. */
export type SeedHook = (ctx: SeedContext) => Promise<void>;
