/** {@link startOrgHomeserver} as a test file's `beforeAll` / `afterAll`. */
import { afterAll, beforeAll } from 'vitest';
import type { TestHomeserver } from '../../homeserver/testing';
import type { OrgAgent } from '../agent/org-agent';
import type { TestAgentOptions } from '../agent/testing/test-agent';
import {
  adminConnection,
  startOrgHomeserver,
  type OrgHomeserver,
  type OrgHomeserverOptions,
} from './org-homeserver';

/** The homeserver of a test file, readable once its `beforeAll` has run. */
export interface OrgHomeserverHandle {
  readonly hs: TestHomeserver;
  /** The running agent; throws when the file asked for none. */
  readonly agent: OrgAgent;
  /** See {@link adminConnection}. */
  conn(): { homeserverUrl: string; adminToken: string };
  /** See {@link OrgHomeserver.restartAgent}. */
  restartAgent(opts?: TestAgentOptions): Promise<OrgAgent>;
}

/**
 * Registers the test file's `beforeAll` (start, with `timeoutMs` when the default hook timeout is
 * too short) and `afterAll` (stop).
 */
export function orgHomeserverForFile(
  opts: OrgHomeserverOptions = {},
  timeoutMs?: number,
): OrgHomeserverHandle {
  let running: OrgHomeserver | undefined;
  beforeAll(async () => {
    running = await startOrgHomeserver(opts);
  }, timeoutMs);
  afterAll(async () => {
    await running?.stop();
  });
  const current = (): OrgHomeserver => {
    if (!running) throw new Error('the test homeserver is not running (read it inside a test)');
    return running;
  };
  return {
    get hs() {
      return current().hs;
    },
    get agent() {
      const { agent } = current();
      if (!agent) throw new Error('this test file started no org agent');
      return agent;
    },
    conn: () => adminConnection(current().hs),
    restartAgent: (agentOpts) => current().restartAgent(agentOpts),
  };
}
