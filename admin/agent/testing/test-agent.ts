/**
 * The org agent as tests run it: against a test homeserver's admin account, with a short long-poll
 * so a stop does not wait out a 30 s sync, and ready (first sync read, key published) on return.
 */
import type { TestHomeserver } from '../../../homeserver/testing';
import { startOrgAgent, type OrgAgent, type OrgAgentOptions } from '../org-agent';

/** What a test may set on the agent besides the homeserver and its admin token. */
export type TestAgentOptions = Omit<OrgAgentOptions, 'homeserverUrl' | 'adminToken'>;

/** Starts the org agent on `hs` and waits until it is ready. */
export async function startTestAgent(
  hs: TestHomeserver,
  opts: TestAgentOptions = {},
): Promise<OrgAgent> {
  const agent = await startOrgAgent({
    homeserverUrl: hs.baseUrl,
    adminToken: hs.admin.accessToken,
    pollTimeoutMs: 2000,
    ...opts,
  });
  await agent.ready;
  return agent;
}
