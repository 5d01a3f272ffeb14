/**
 * Binding of identity-platform subjects to provisioned accounts. Synapse signs a person in by SSO
 * only when their subject is linked to an account (`external_ids`, admin API); the kit never lets a
 * claim create or claim an account by name (see docs/identity.md).
 */
import { MatrixApiError, seg, type SynapseClient } from './synapse-client';

/** One `external_ids` entry of Synapse's admin API. */
export interface ExternalId {
  auth_provider: string;
  external_id: string;
}

/** Result of {@link linkSsoSubject}. */
export type LinkResult = 'linked' | 'already-linked';

/**
 * Links `subject` of `authProvider` to `userId`, keeping the account's other links. Idempotent.
 * Refuses a subject already bound to another account, and an account bound to another subject of
 * the same provider: re-binding a person is a deliberate admin act (unlink first), never a side effect.
 */
export async function linkSsoSubject(
  client: SynapseClient,
  opts: { userId: string; authProvider: string; subject: string },
): Promise<LinkResult> {
  const { userId, authProvider, subject } = opts;
  const owner = await client
    .get<{ user_id: string }>(
      `/_synapse/admin/v1/auth_providers/${seg(authProvider)}/users/${seg(subject)}`,
    )
    .catch((err: unknown) => {
      if (err instanceof MatrixApiError && err.status === 404) return null;
      throw err;
    });
  if (owner && owner.user_id !== userId)
    throw new Error(
      `${authProvider} subject "${subject}" is already linked to ${owner.user_id}; unlink it there before linking it to ${userId}`,
    );
  if (owner) return 'already-linked';
  const user = await client.get<{ external_ids?: ExternalId[] }>(
    `/_synapse/admin/v2/users/${seg(userId)}`,
  );
  const current = user.external_ids ?? [];
  const other = current.find((e) => e.auth_provider === authProvider);
  if (other)
    throw new Error(
      `${userId} is already linked to ${authProvider} subject "${other.external_id}", not "${subject}"`,
    );
  await client.request('PUT', `/_synapse/admin/v2/users/${seg(userId)}`, {
    body: { external_ids: [...current, { auth_provider: authProvider, external_id: subject }] },
  });
  return 'linked';
}
