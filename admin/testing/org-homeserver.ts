/**
 * The set-up most provisioning, agent and app tests start from: a fresh test homeserver, an org
 * spec applied to it, and the org agent running when the test needs one.
 */
import { afterAll, beforeAll } from 'vitest';
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
