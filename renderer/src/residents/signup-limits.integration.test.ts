/* eslint-disable no-restricted-imports -- an integration test runs in Node and starts the test homeserver. */
/**
 * Mass sign-ups through one invitation, against a real Synapse with the production rate limits
 * (homeserver/synapse-policy.ts, `rc_registration`: a burst of 3, then one every ~6 s per address):
 * a script holding a link with many places gets three accounts, then the server refuses, the join
 * page names the refusal, and the refused attempts use none of the invitation's places.
 */
import { describe, expect, it } from 'vitest';
import { orgHomeserverForFile } from '../../../admin/testing/org-homeserver-for-file';
import { DEFAULT_RATE_LIMITS } from '../../../homeserver/synapse-policy';
import { registerWithToken } from './join-flow';

const server = orgHomeserverForFile({ homeserver: { relaxedRateLimits: false } }, 180_000);

/** Calls the registration-token admin API as the server admin. */
async function tokenApi<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
  const res = await fetch(`${server.hs.baseUrl}/_synapse/admin/v1/registration_tokens${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${server.hs.admin.accessToken}`,
      'Content-Type': 'application/json',
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('mass sign-ups', () => {
  it('are cut off by the server after a burst, without using up the invitation', async () => {
    const burst = DEFAULT_RATE_LIMITS.rc_registration;
    expect(burst).toMatchObject({ burst_count: 3 });
    const { token } = await tokenApi<{ token: string }>('POST', '/new', { uses_allowed: 50 });
    const problems: (string | null)[] = [];
    for (let i = 0; i < 6; i += 1)
      problems.push(
        await registerWithToken(server.hs.baseUrl, {
          username: `bulk.${i}`,
          password: 'Bulk-Signup-77',
          token,
        }),
      );
    expect(problems).toEqual([null, null, null, 'rateLimited', 'rateLimited', 'rateLimited']);
    const record = await tokenApi<{ completed: number; pending: number; uses_allowed: number }>(
      'GET',
      `/${encodeURIComponent(token)}`,
    );
    expect(record).toMatchObject({ completed: 3, uses_allowed: 50 });
  });
});
