/**
 * Acting as a user for a moment: restricted joins must be made by the joining user, so the executor
 * takes short-lived tokens from Synapse's admin login API and revokes them afterwards.
 */
import { runBounded } from '../shared/concurrency';
import { seg } from './synapse-client';
import type { SynapseClient } from './synapse-client';

/** Lifetime of a token used to act as a user; an interrupted apply cannot leave a long-lived one behind. */
const PUPPET_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Short-lived access tokens for acting as a user (Synapse's admin login API), used for restricted
 * joins. Each expires within the hour even if never revoked, and all are revoked when the apply ends.
 */
export class PuppetTokens {
  private readonly tokens = new Map<string, Promise<string>>();

  /**
   * @param concurrency - Revocations in flight at once: the apply's own concurrency, so revoking
   *   the tokens of a whole province does not trail the apply by minutes.
   */
  constructor(
    private readonly client: SynapseClient,
    private readonly concurrency = 4,
  ) {}

  /** A token for the user, taken once per apply. */
  tokenFor(userId: string): Promise<string> {
    let token = this.tokens.get(userId);
    if (token === undefined) {
      token = this.client
        .request<{ access_token: string }>(
          'POST',
          `/_synapse/admin/v1/users/${seg(userId)}/login`,
          { body: { valid_until_ms: Date.now() + PUPPET_TOKEN_LIFETIME_MS } },
        )
        .then((r) => r.access_token);
      this.tokens.set(userId, token);
    }
    return token;
  }

  /** Revokes every token taken; failures are ignored (an expired token needs no revoking). */
  async revokeAll(): Promise<void> {
    const pending = [...this.tokens.values()];
    this.tokens.clear();
    // Runs after an abort too: revocation must not be cancelled with the apply.
    const cleanup = this.client.withoutSignal();
    await runBounded({
      items: pending,
      concurrency: this.concurrency,
      fn: async (token) => {
        // A token that never arrived has nothing to revoke; one that expired already is fine too.
        const value = await token.catch(() => undefined);
        if (value !== undefined)
          await cleanup
            .request('POST', '/_matrix/client/v3/logout', { body: {}, token: value })
            .catch(() => undefined);
      },
    });
  }
}
