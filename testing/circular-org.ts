/**
 * The circular fixture org (renderer/src/circulars/testing/org-fixture.ts) running on a fresh test
 * homeserver, with the issuer and the recipients a test names signed in as Node clients (Rust
 * crypto in memory) and the issuer's org view loaded: where the circular integration tests,
 * benchmarks and the worker-topology test start from. Node-only, and no vitest: benchmarks start
 * it too ({@link circularOrgForFile} registers it as a test file's hooks).
 */
import type { OrgAgent } from '../admin/agent/org-agent';
import { startOrgHomeserver, type OrgHomeserverOptions } from '../admin/testing/org-homeserver';
import type { TestHomeserver } from '../homeserver/testing';
import {
  circularTestSpec,
  signInFixtureUser,
  UNITS,
  USERS,
  waitForOrg,
  type SignedIn,
} from './org-fixture';
import type { OrgView } from '../shared/org/org-view';
import type { OrgSpec } from '../shared/org/spec-types';

/** The three cities every fixture circular goes to. */
export const CITIES = [UNITS.city1, UNITS.city2, UNITS.city3];

/** Options of {@link startCircularOrg}. */
export interface CircularOrgOptions extends Omit<OrgHomeserverOptions, 'spec'> {
  /** Accounts besides the fixture's (a unit admin), with the fixture's password. */
  extraUsers?: OrgSpec['users'];
  /** Fixture users signed in at start besides the issuer, in this order. */
  people?: readonly string[];
}

/** The running org: its homeserver, the signed-in clients, the issuer's view of the org. */
export interface CircularOrg {
  hs: TestHomeserver;
  agent: OrgAgent | undefined;
  /** The issuer's first device. */
  issuer: SignedIn;
  /** The clients of `people`, by username. */
  people: Record<string, SignedIn>;
  /** The issuer's org view, with the notice rooms of the three cities. */
  org: OrgView;
  /** Signs a fixture user in on another device; it stops with the org. */
  signIn(username: string): Promise<SignedIn>;
  /** The Matrix user id of a fixture user. */
  userId(username: string): string;
  /** Stops every client signed in through it, then the agent and the homeserver. */
  stop(): Promise<void>;
}

/** Starts the org; on a failure stops what it started. */
export async function startCircularOrg(opts: CircularOrgOptions = {}): Promise<CircularOrg> {
  const spec = circularTestSpec();
  spec.users.push(...(opts.extraUsers ?? []));
  const server = await startOrgHomeserver({ ...opts, spec });
  const { hs } = server;
  const clients: SignedIn[] = [];
  const signIn = async (username: string): Promise<SignedIn> => {
    const s = await signInFixtureUser(hs, username);
    clients.push(s);
    return s;
  };
  const stop = async (): Promise<void> => {
    for (const s of clients) await s.manager.stop();
    await server.stop();
  };
  try {
    const issuer = await signIn(USERS.issuer);
    const people: Record<string, SignedIn> = {};
    for (const u of opts.people ?? []) people[u] = await signIn(u);
    const org = await waitForOrg(issuer.client, CITIES);
    return {
      hs,
      agent: server.agent,
      issuer,
      people,
      org,
      signIn,
      userId: (username) => `@${username}:${hs.serverName}`,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
