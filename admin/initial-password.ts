/**
 * Accounts created with a password someone else chose (a spec's password, a generated one, a unit
 * admin's sealed one) are marked so that the app asks their owner for a new password before it
 * creates their encryption identity (shared/account/initial-password.ts).
 */
import { INITIAL_PASSWORD_EVENT, initialPasswordContent } from '../shared/account/initial-password';
import type { PuppetTokens } from './puppet-tokens';
import { seg, type SynapseClient } from './synapse-client';

/**
 * Creates the account through Synapse's admin API with the initial password, then marks the
 * password as initial in the account's own account data (written as the user: Synapse's admin API
 * cannot write another user's account data).
 */
export async function createAccountWithInitialPassword(params: {
  client: SynapseClient;
  puppets: PuppetTokens;
  userId: string;
  password: string;
  displayName: string;
}): Promise<void> {
  const { client, userId, password, displayName } = params;
  await client.request('PUT', `/_synapse/admin/v2/users/${seg(userId)}`, {
    body: { password, displayname: displayName, admin: false },
  });
  await markInitialPassword(params);
}

/** Marks the user's password as set by an administrator (after creating or resetting it). */
export async function markInitialPassword(params: {
  client: SynapseClient;
  puppets: PuppetTokens;
  userId: string;
}): Promise<void> {
  const { client, puppets, userId } = params;
  const token = await puppets.tokenFor(userId);
  await client.request(
    'PUT',
    `/_matrix/client/v3/user/${seg(userId)}/account_data/${seg(INITIAL_PASSWORD_EVENT)}`,
    { body: initialPasswordContent(), token },
  );
}
