/**
 * The set-up most provisioning, agent and app tests start from: a fresh test homeserver, an org
 * spec applied to it, and the org agent running when the test needs one. No vitest here:
 * benchmarks start it too ({@link orgHomeserverForFile} registers it as a test file's hooks).
 */
import {
  startTestHomeserver,
  type StartTestHomeserverOptions,
  type TestHomeserver,
} from '../../homeserver/testing';
import type { OrgSpec } from '../../shared/org/spec-types';
import type { OrgAgent } from '../agent/org-agent';
import { startTestAgent, type TestAgentOptions } from '../agent/testing/test-agent';
import { applyOrgSpec } from '../apply';

/** Options of {@link startOrgHomeserver}. */
export interface OrgHomeserverOptions {
  homeserver?: StartTestHomeserverOptions;
  /** Applied once the homeserver is up; none leaves it empty. */
  spec?: OrgSpec;
  /** Starts the org agent after the spec is applied (`true`: the test defaults). */
  agent?: boolean | TestAgentOptions;
}

/** A running homeserver with its org, and the agent when one was asked for. */
export interface OrgHomeserver {
  hs: TestHomeserver;
  agent: OrgAgent | undefined;
  /** Stops the agent (if any) and starts a new one with these options: a restart. */
  restartAgent(opts?: TestAgentOptions): Promise<OrgAgent>;
  /** Stops the agent, then the homeserver. */
  stop(): Promise<void>;
}

/** The connection `applyOrgSpec` and `planOrgSpec` take, as the provisioning account. */
export function adminConnection(hs: TestHomeserver): { homeserverUrl: string; adminToken: string } {
  return { homeserverUrl: hs.baseUrl, adminToken: hs.admin.accessToken };
}

/** Starts the homeserver, applies the spec, starts the agent; on a failure stops what it started. */
export async function startOrgHomeserver(opts: OrgHomeserverOptions = {}): Promise<OrgHomeserver> {
  const hs = await startTestHomeserver(opts.homeserver);
  const running: OrgHomeserver = {
    hs,
    agent: undefined,
    async restartAgent(agentOpts = {}) {
      await running.agent?.stop();
      running.agent = undefined;
      running.agent = await startTestAgent(hs, agentOpts);
      return running.agent;
    },
    async stop() {
      await running.agent?.stop();
      await hs.dispose();
    },
  };
  try {
    if (opts.spec) await applyOrgSpec({ ...adminConnection(hs), spec: opts.spec });
    if (opts.agent) await running.restartAgent(opts.agent === true ? {} : opts.agent);
  } catch (err) {
    await running.stop();
    throw err;
  }
  return running;
}
