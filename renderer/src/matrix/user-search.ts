import type { MatrixClient } from 'matrix-js-sdk';

/** One directory hit, as plain data. */
export interface DirectoryUser {
  userId: string;
  displayName: string;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Searches the user directory. Synapse's full-text index does not split Chinese names into words,
 * so "李娜" finds nothing while "李" finds 李娜. For a term with Chinese characters the server is
 * also asked for the first character, and the hits are filtered here by the whole term.
 */
export async function searchUsers(
  client: MatrixClient,
  term: string,
  limit = 20,
): Promise<DirectoryUser[]> {
  const trimmed = term.trim();
  if (!trimmed) return [];
  const me = client.getUserId();
  const toUsers = (results: Array<{ user_id: string; display_name?: string }>) =>
    results
      .filter((u) => u.user_id !== me)
      .map((u) => ({ userId: u.user_id, displayName: u.display_name ?? u.user_id }));
  const direct = toUsers((await client.searchUserDirectory({ term: trimmed, limit })).results);
  const first = [...trimmed].find((ch) => CJK.test(ch));
  if (!first || trimmed === first) return direct;
  const wide = toUsers(
    (await client.searchUserDirectory({ term: first, limit: 50 })).results,
  ).filter((u) => u.displayName.includes(trimmed) || u.userId.includes(trimmed));
  const seen = new Set(direct.map((u) => u.userId));
  return [...direct, ...wide.filter((u) => !seen.has(u.userId))].slice(0, limit);
}
