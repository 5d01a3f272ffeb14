/** {@link startCircularOrg} as a test file's `beforeAll` / `afterAll`. */
import { afterAll, beforeAll } from 'vitest';
import { startCircularOrg, type CircularOrg, type CircularOrgOptions } from './circular-org';

/**
 * Registers the test file's `beforeAll` (start) and `afterAll` (stop) for the org; read it inside
 * a test. A file's own `afterAll`, registered later, runs before this one's (vitest runs them in
 * reverse), while the clients are still up.
 */
export function circularOrgForFile(opts: CircularOrgOptions = {}, timeoutMs?: number): CircularOrg {
  let running: CircularOrg | undefined;
  beforeAll(async () => {
    running = await startCircularOrg(opts);
  }, timeoutMs);
  afterAll(async () => {
    await running?.stop();
  });
  const current = (): CircularOrg => {
    if (!running) throw new Error('the circular org is not running (read it inside a test)');
    return running;
  };
  return {
    get hs() {
      return current().hs;
    },
    get agent() {
      return current().agent;
    },
    get issuer() {
      return current().issuer;
    },
    get people() {
      return current().people;
    },
    get org() {
      return current().org;
    },
    signIn: (username) => current().signIn(username),
    userId: (username) => current().userId(username),
    stop: () => current().stop(),
  };
}
