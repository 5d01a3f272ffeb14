/**
 * The org snapshot as last read, kept on disk between runs of the admin tool, so that a plan or an
 * apply reads again only the rooms whose summary in Synapse's admin room list has changed.
 *
 * Why a summary and not an event feed: in a live province most rooms get messages every day, so
 * "has anything happened in this room" (forward extremities, `/sync`) says "yes" for nearly every
 * room and saves nothing, and `/sync` on the provisioning account would also take the to-device
 * messages meant for the org agent, which uses the same device. The admin room list gives, for every
 * room in a few paged requests, the member counts, the number of state events, the name, join rule,
 * history visibility, encryption and canonical alias: a membership change, a new state key or a
 * renamed room changes it; a message does not. What it cannot see (an edited power-level or
 * unit-record event, one member leaving while another joins) is bounded three ways:
 *
 * - every room a plan would write to is read again before the plan is final (see `apply.ts`), so no
 *   write is decided on a cached state;
 * - rooms the tool has written are dropped from the cache before the writes start;
 * - an entry older than {@link CACHE_MAX_AGE_MS} is read again, and `--refresh` reads everything.
 *
 * The file is owner-only (it lists the org's rooms and members, though no secret) and is written
 * atomically; a missing, unreadable or foreign file means an empty cache, never a failed command.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { StateEventRecord } from '../shared/org/snapshot';

/** How long a cached room state is trusted without a change in its summary: one day. */
export const CACHE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const FORMAT_VERSION = 1;

const stateEventSchema = z.object({
  type: z.string(),
  state_key: z.string(),
  content: z.record(z.string(), z.unknown()),
  sender: z.string().optional(),
});

const entrySchema = z.object({
  roomId: z.string(),
  alias: z.string(),
  /** The room's row in the admin room list when its state was read. */
  summary: z.string(),
  readAt: z.number(),
  /** Null for a room with an org alias that the provisioning account did not create. */
  state: z.array(stateEventSchema).nullable(),
});

const fileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  homeserverUrl: z.string(),
  adminUserId: z.string(),
  rooms: z.array(entrySchema),
});

type CacheEntry = z.infer<typeof entrySchema>;

/** Whose snapshot a cache holds: another server or admin account never shares it. */
export interface CacheOwner {
  homeserverUrl: string;
  adminUserId: string;
}

/** What a lookup found: a state to use as is, or nothing (read the room). */
export type CacheLookup = { state: StateEventRecord[] | null } | undefined;

/** Room states kept between runs; see the module comment for when an entry is trusted. */
export class SnapshotCache {
  private readonly entries = new Map<string, CacheEntry>();
  private owner: CacheOwner | undefined;
  /** Why the file on disk was not used, for the command to print; undefined when it was. */
  problem: string | undefined;
  /**
   * Since this object was made: rooms answered from the cache, rooms read from the server, and
   * rooms read again because a plan writes to them (see `apply.ts`).
   */
  readonly counts = { cached: 0, read: 0, fresh: 0 };

  private constructor(
    /** The file, or undefined for a cache that lives only as long as the process. */
    readonly file: string | undefined,
    private readonly now: () => number,
  ) {}

  /** A cache kept in memory only (tests, one-off scripts). */
  static inMemory(now: () => number = Date.now): SnapshotCache {
    return new SnapshotCache(undefined, now);
  }

  /**
   * Opens the cache file. A file that is missing, malformed or written for another server or admin
   * account gives an empty cache (with {@link problem} set unless the file was simply missing).
   */
  static async open(file: string, now: () => number = Date.now): Promise<SnapshotCache> {
    const cache = new SnapshotCache(file, now);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        cache.problem = `cannot read the snapshot cache ${file} (${(err as Error).message}); reading every room`;
      return cache;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      cache.problem = `the snapshot cache ${file} is not JSON (${(err as Error).message}); reading every room`;
      return cache;
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      cache.problem = `the snapshot cache ${file} is not a snapshot cache of this version (${issue?.path.join('.') || 'top level'}: ${issue?.message}); reading every room`;
      return cache;
    }
    cache.owner = {
      homeserverUrl: parsed.data.homeserverUrl,
      adminUserId: parsed.data.adminUserId,
    };
    for (const e of parsed.data.rooms) cache.entries.set(e.roomId, e);
    return cache;
  }

  /**
   * Binds the cache to the server and admin account being read. Entries of another owner are
   * dropped (the file is rewritten for the new one on save).
   */
  bind(owner: CacheOwner): void {
    if (
      this.owner &&
      (this.owner.homeserverUrl !== owner.homeserverUrl ||
        this.owner.adminUserId !== owner.adminUserId)
    ) {
      this.entries.clear();
    }
    this.owner = owner;
  }

  /** The cached state of a room, if its alias and summary are unchanged and the entry is fresh. */
  lookup(roomId: string, alias: string, summary: string): CacheLookup {
    const e = this.entries.get(roomId);
    if (!e || e.alias !== alias || e.summary !== summary) return undefined;
    // A room another account created never becomes the org's: its creator cannot change.
    if (e.state !== null && this.now() - e.readAt > CACHE_MAX_AGE_MS) return undefined;
    this.counts.cached += 1;
    return { state: e.state };
  }

  /** Records a room just read; `state` null for a room that is not the org's. */
  remember(roomId: string, alias: string, summary: string, state: StateEventRecord[] | null): void {
    this.counts.read += 1;
    this.entries.set(roomId, { roomId, alias, summary, readAt: this.now(), state });
  }

  /** Drops the entries of rooms that were just read again before a plan writes to them. */
  reread(roomIds: Iterable<string>): void {
    for (const id of roomIds) {
      this.counts.fresh += 1;
      this.entries.delete(id);
    }
  }

  /** Drops the entries of these rooms (by room ID). */
  forget(roomIds: Iterable<string>): void {
    for (const id of roomIds) this.entries.delete(id);
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
  }

  /** Keeps only the rooms still listed on the server. */
  retain(roomIds: ReadonlySet<string>): void {
    for (const id of [...this.entries.keys()]) if (!roomIds.has(id)) this.entries.delete(id);
  }

  /** One line for the commands: how many rooms were read and how many the cache answered. */
  report(): string {
    const { cached, read, fresh } = this.counts;
    return `snapshot: ${read} room(s) read from the server, ${cached} unchanged since the last read (snapshot cache), ${fresh} read again because the plan writes to them`;
  }

  /** Number of rooms held. */
  get size(): number {
    return this.entries.size;
  }

  /** Writes the file (owner-only, atomically); a no-op for an in-memory cache or before a read. */
  async save(): Promise<void> {
    if (this.file === undefined || this.owner === undefined) return;
    const body = JSON.stringify({
      version: FORMAT_VERSION,
      ...this.owner,
      rooms: [...this.entries.values()],
    });
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, body, { mode: 0o600 });
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}

/**
 * Runs one command with the cache in `file`, as the CLI does: opened before, saved after (also
 * when the command fails, since the rooms it read stay known and the rooms it wrote were dropped
 * before writing).
 */
export async function withSnapshotCacheFile<T>(
  file: string,
  run: (cache: SnapshotCache) => Promise<T>,
): Promise<{ result: T; cache: SnapshotCache }> {
  const cache = await SnapshotCache.open(file);
  try {
    return { result: await run(cache), cache };
  } finally {
    await cache.save();
  }
}
