import { RoomId } from '@matrix-org/matrix-sdk-crypto-wasm';
import {
  EventType,
  MatrixEvent,
  MsgType,
  Preset,
  Visibility,
  type MatrixClient,
} from 'matrix-js-sdk';
import type { CryptoBackend } from 'matrix-js-sdk/lib/common-crypto/CryptoBackend.js';
import type { Page } from 'playwright-core';
import { acceptInvite, ENCRYPTION_STATE } from '../renderer/src/matrix/rooms';
import { waitForClient } from '../renderer/src/matrix/wait-for';

/** Options of {@link seedMessages}. */
export interface SeedMessagesOptions {
  baseUrl: string;
  roomId: string;
  /** Room members with Rust crypto who take turns writing; each encrypts its own messages. */
  senders: MatrixClient[];
  count: number;
  body(index: number): string;
  /** Consecutive messages from one sender (drawn as one group with one name). Default 25. */
  block?: number;
  /** Requests in flight. Synapse writes one room's events one after another, so more buys little. */
  concurrency?: number;
  onProgress?(sent: number): void;
}

/**
 * Fills a room with `count` encrypted text messages through bare `PUT /send`, several at a time:
 * the fastest way to give a real homeserver a long history. The SDK's own `sendEvent` sends one
 * message at a time per room and waits for each, which costs minutes for thousands of messages;
 * here each message is encrypted locally by its sender's crypto layer and only the upload is
 * parallel.
 * Message `i` is written by sender `floor(i / block) % senders`; the server orders messages by
 * arrival, so neighbouring messages may swap places.
 */
export async function seedMessages(opts: SeedMessagesOptions): Promise<void> {
  const block = opts.block ?? 25;
  const run = `seed${Date.now().toString(36)}`;
  const { senders } = opts;
  let next = 0;
  let sent = 0;
  const worker = async () => {
    while (next < opts.count) {
      const i = next++;
      const sender = senders[Math.floor(i / block) % senders.length];
      if (!sender) throw new Error('seedMessages needs at least one sender');
      const content = { msgtype: MsgType.Text, body: opts.body(i) };
      const wire = await encryptFor(sender, opts.roomId, content);
      const url = `${opts.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(opts.roomId)}/send/${wire.type}/${run}.${i}`;
      const res = await fetch(url, {
        method: 'PUT',
        headers: {
          Authorization: `Bearer ${sender.getAccessToken() ?? ''}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(wire.content),
      });
      if (!res.ok) throw new Error(`seeding message ${i}: HTTP ${res.status} ${await res.text()}`);
      sent += 1;
      if (sent % 500 === 0) opts.onProgress?.(sent);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
}

/** The part of the Rust crypto machine the seeder uses (not exposed by the SDK's public CryptoApi). */
interface OlmMachineLike {
  encryptRoomEvent(roomId: RoomId, eventType: string, content: string): Promise<string>;
}

/** Senders whose room key has been shared through the SDK's full send path in this run. */
const keyShared = new WeakSet<MatrixClient>();

/**
 * Megolm-encrypts one message as `client` would before sending it. The first message of each
 * sender takes the SDK's full path (device queries, Olm sessions, room-key sharing with every
 * member's device); the rest only encrypt with that same outbound session, because the full path
 * re-checks devices and keys before every message and so runs at a few messages a second. The
 * room is created with a rotation period longer than the history (see {@link createHistoryRoom}),
 * so the session stays valid for all of it.
 */
async function encryptFor(
  client: MatrixClient,
  roomId: string,
  content: Record<string, unknown>,
): Promise<{ type: string; content: Record<string, unknown> }> {
  const room = client.getRoom(roomId);
  if (!room) throw new Error(`${client.getUserId()} is not in ${roomId}`);
  const backend = client.getCrypto() as unknown as CryptoBackend & { olmMachine: OlmMachineLike };
  if (keyShared.has(client)) {
    const wire = await backend.olmMachine.encryptRoomEvent(
      new RoomId(roomId),
      EventType.RoomMessage,
      JSON.stringify(content),
    );
    return {
      type: EventType.RoomMessageEncrypted,
      content: JSON.parse(wire) as Record<string, unknown>,
    };
  }
  const event = new MatrixEvent({
    type: EventType.RoomMessage,
    content,
    room_id: roomId,
    sender: client.getSafeUserId(),
  });
  // What `sendEvent` runs before uploading: shares the room key, then encrypts.
  await backend.encryptEvent(event, room);
  keyShared.add(client);
  return { type: event.getWireType(), content: event.getWireContent() };
}

/** Signs a user in on the login screen and dismisses the new recovery key (first login). */
export async function signInFirstTime(page: Page, username: string, password: string) {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  // The device exists and has published its keys once encryption is set up.
  await page.getByTestId('recovery-key').waitFor({ timeout: 120_000 });
  await page.getByTestId('recovery-key-saved').click();
}

/**
 * Creates an encrypted group room for a long history: the first sender creates it and invites the
 * others and the reader; the other senders join from Node, the reader accepts in the open `page`.
 * Resolves once every sender's client sees everyone joined, so keys are shared with all of them.
 */
export async function createHistoryRoom(opts: {
  page: Page;
  readerId: string;
  senders: MatrixClient[];
  name: string;
}): Promise<string> {
  const [creator, ...others] = opts.senders;
  if (!creator) throw new Error('createHistoryRoom needs a sender');
  // Like the app's group rooms (encrypted from the first event), with a Megolm rotation period
  // longer than any seeded history, so the seeder's fast path keeps one session per sender.
  const { room_id: roomId } = await creator.createRoom({
    name: opts.name,
    visibility: Visibility.Private,
    preset: Preset.PrivateChat,
    invite: [...others.map((c) => c.getSafeUserId()), opts.readerId],
    initial_state: [
      {
        ...ENCRYPTION_STATE,
        content: { ...ENCRYPTION_STATE.content, rotation_period_msgs: 1_000_000 },
      },
    ],
  });
  for (const other of others) {
    await waitForClient(other, 'the invite', () =>
      other.getRoom(roomId)?.getMyMembership() === 'invite' ? true : undefined,
    );
    await acceptInvite(other, roomId);
  }
  await opts.page.locator(`li[data-room-id="${roomId}"]`).click();
  await opts.page.getByTestId('accept-invite').click();
  await opts.page.getByTestId('room-encrypted').waitFor();
  const everyone = [...opts.senders.map((c) => c.getSafeUserId()), opts.readerId];
  await Promise.all(
    opts.senders.map((client) =>
      waitForClient(client, `everyone joined ${roomId}`, () =>
        everyone.every((u) => client.getRoom(roomId)?.getMember(u)?.membership === 'join')
          ? true
          : undefined,
      ),
    ),
  );
  return roomId;
}

/** Rows the virtualizer has put in the DOM, and rows the open timeline holds. */
export async function rowCounts(page: Page): Promise<{ rendered: number; loaded: number }> {
  return page.getByTestId('timeline').evaluate((el) => ({
    rendered: el.querySelectorAll('.timeline-row').length,
    loaded: Number((el as HTMLElement).dataset['rows']),
  }));
}

/**
 * Scrolls the open timeline to the top, which asks the app for the previous page of history, and
 * waits until that page is in. Returns false (without scrolling) when the start was reached.
 */
export async function pageBackOnce(page: Page): Promise<boolean> {
  const timeline = page.getByTestId('timeline');
  if ((await timeline.getAttribute('data-can-paginate')) !== 'true') return false;
  await timeline.evaluate(
    (el, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const before = el.dataset['rows'];
        let started = false;
        const done = (error?: Error) => {
          observer.disconnect();
          clearInterval(poll);
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        // Attribute changes are watched so a quick "paginating" flash is not missed; a slow poll
        // covers a page that changes nothing visible.
        const check = () => {
          if (el.dataset['paginating'] === 'true') started = true;
          else if (started || el.dataset['rows'] !== before || el.dataset['canPaginate'] !== 'true')
            done();
        };
        const observer = new MutationObserver(check);
        observer.observe(el, {
          attributes: true,
          attributeFilter: ['data-paginating', 'data-rows', 'data-can-paginate'],
        });
        const poll = setInterval(check, 250);
        const timer = setTimeout(
          () =>
            done(
              new Error(
                `no page of history arrived: ${JSON.stringify({ ...el.dataset, scrollTop: el.scrollTop })}`,
              ),
            ),
          timeoutMs,
        );
        el.scrollTop = 0;
        // A scroll event even when the view already sits at the top: that is what asks for history.
        el.dispatchEvent(new Event('scroll'));
      }),
    120_000,
  );
  return true;
}
