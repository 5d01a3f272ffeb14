/**
 * The org's key custodian (optional, a deployment's choice): a crypto-enabled device of the
 * provisioning account, which is a member of every managed room. Issuers' clients share each
 * notice room's Megolm keys with it as with any member device; it answers key requests from late
 * recipients' devices under exactly the rules the issuers' own devices apply (key-granter.ts), so
 * circulars open for people who sign in while every issuer device is offline.
 *
 * It is a headless run of the app's own key-grant service, so it lives with it; the demo launcher
 * (scripts/start.ts) starts it beside the org agent.
 *
 * The trade-off (docs/key-grants.md): the keys of every circular sent while it runs are held by a
 * service of the province, outside the homeserver's database. Its crypto store lives in memory:
 * each start is a new device (signed in with the provisioning account's password), and stopping it
 * signs that device out. With a sealed store and the operator's passphrase, the sessions it holds
 * are sealed (custodian-seal.ts) every minute and on stop, and imported again on the next start, so
 * a restart still serves the circulars sent before it.
 */
import { ClientManager, quietLogger } from '../matrix/client-manager';
import { waitForFirstSync } from '../matrix/wait-for';
import { keyGrants } from './key-grants';
import type { HandledRequest } from './key-granter';
import { seal, unseal, type SealedStore } from './custodian-seal';

/** How often the held sessions are sealed again when new ones arrived. */
const SEAL_EVERY_MS = 60_000;

/** Options of {@link startKeyCustodian}. */
export interface KeyCustodianOptions {
  homeserverUrl: string;
  /** The provisioning account (the creator of every managed room). */
  userId: string;
  /** Its password: the custodian signs in as a device of its own. Never logged. */
  password: string;
  /** One line per decision (no keys, no secrets). */
  log?: (line: string) => void;
  /** Keep the held sessions across restarts, sealed under `passphrase` (both or neither). */
  sealed?: { store: SealedStore; passphrase: string };
}

/** A running custodian. */
export interface KeyCustodian {
  userId: string;
  deviceId: string;
  /** Decisions so far, newest last. */
  handled(): readonly HandledRequest[];
  /** Seals the sessions held now into the sealed store (a no-op without one). */
  seal(): Promise<void>;
  /** Seals once more, stops syncing and signs the custodian's device out. */
  stop(): Promise<void>;
}

/** Signs the custodian's device in, waits for its first sync, and starts answering key requests. */
export async function startKeyCustodian(opts: KeyCustodianOptions): Promise<KeyCustodian> {
  const manager = new ClientManager();
  const login = await manager.login({
    homeserverUrl: opts.homeserverUrl,
    username: opts.userId,
    password: opts.password,
    deviceDisplayName: '鸿雁密钥托管 (key custodian)',
  });
  if (!login.ok)
    throw new Error(`key custodian: sign-in of ${opts.userId} failed: ${login.error.kind}`);
  const client = await manager.start(login.credentials, {
    persistent: false,
    logger: quietLogger,
  });
  await waitForFirstSync(client);
  const crypto = client.getCrypto();
  if (!crypto) throw new Error('key custodian: the client has no crypto');
  const sealed = opts.sealed;
  if (sealed) {
    const bytes = await sealed.store.load();
    if (bytes) {
      await crypto.importRoomKeysAsJson(await unseal(bytes, sealed.passphrase));
      opts.log?.('imported the sessions sealed by the previous run');
    }
  }
  let lastSealed = '';
  const sealNow = async () => {
    if (!sealed) return;
    const json = await crypto.exportRoomKeysAsJson();
    if (json === lastSealed) return;
    await sealed.store.save(await seal(json, sealed.passphrase));
    lastSealed = json;
  };
  const sealer = sealed
    ? setInterval(() => {
        sealNow().catch((err: unknown) => opts.log?.(`sealing failed: ${(err as Error).message}`));
      }, SEAL_EVERY_MS)
    : undefined;
  const service = keyGrants(client);
  // It only grants: it never asks for keys itself.
  service.start({ request: false });
  const unlisten = service.granter.onHandled((h) => {
    const d = h.decision;
    const what =
      d.kind === 'refuse'
        ? `refused (${d.reason})`
        : d.kind === 'silent'
          ? `no answer (${d.why})`
          : 'granted';
    opts.log?.(
      `${h.userId} ${h.deviceId}: ${what} for ${h.request.eventId} in ${h.request.roomId}`,
    );
  });
  return {
    userId: login.credentials.userId,
    deviceId: login.credentials.deviceId,
    handled: () => service.handled,
    seal: sealNow,
    stop: async () => {
      clearInterval(sealer);
      await sealNow().catch((err: unknown) =>
        opts.log?.(`sealing failed: ${(err as Error).message}`),
      );
      unlisten();
      service.stop();
      await manager.logout().catch(() => manager.stop());
    },
  };
}
