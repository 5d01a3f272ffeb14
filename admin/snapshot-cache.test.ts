import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_MAX_AGE_MS, SnapshotCache } from './snapshot-cache';

const owner = { homeserverUrl: 'http://127.0.0.1:8008', adminUserId: '@admin:hy.test' };
const state = [
  {
    type: 'm.room.create',
    state_key: '',
    content: { creator: '@admin:hy.test' },
    sender: '@admin:hy.test',
  },
  { type: 'm.room.name', state_key: '', content: { name: '西湖区' } },
];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hy-snapshot-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SnapshotCache', () => {
  it('answers a room whose alias and summary are unchanged, from the file of an earlier run', async () => {
    const file = path.join(dir, 'cache.json');
    const first = await SnapshotCache.open(file);
    expect(first.problem).toBeUndefined();
    first.bind(owner);
    first.remember('!a:hy.test', 'hy.330106', '{"joined_members":3}', state);
    first.remember('!b:hy.test', 'hy.330100', '{"joined_members":9}', null);
    await first.save();
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const second = await SnapshotCache.open(file);
    second.bind(owner);
    expect(second.lookup('!a:hy.test', 'hy.330106', '{"joined_members":3}')).toEqual({ state });
    // A room someone else created stays known as not the org's.
    expect(second.lookup('!b:hy.test', 'hy.330100', '{"joined_members":9}')).toEqual({
      state: null,
    });
    expect(second.counts).toEqual({ cached: 2, read: 0, fresh: 0 });
  });

  it('reads again a room whose summary or alias changed, or that was forgotten', () => {
    const cache = SnapshotCache.inMemory();
    cache.bind(owner);
    cache.remember('!a:hy.test', 'hy.330106', 's1', state);
    cache.remember('!c:hy.test', 'hy.330107', 's1', state);
    expect(cache.lookup('!a:hy.test', 'hy.330106', 's2')).toBeUndefined();
    expect(cache.lookup('!a:hy.test', 'hy.330199', 's1')).toBeUndefined();
    cache.forget(['!a:hy.test']);
    expect(cache.lookup('!a:hy.test', 'hy.330106', 's1')).toBeUndefined();
    cache.retain(new Set(['!a:hy.test']));
    expect(cache.size).toBe(0);
  });

  it('reads again an entry older than a day', () => {
    let now = 1_000_000;
    const cache = SnapshotCache.inMemory(() => now);
    cache.bind(owner);
    cache.remember('!a:hy.test', 'hy.330106', 's1', state);
    now += CACHE_MAX_AGE_MS - 1;
    expect(cache.lookup('!a:hy.test', 'hy.330106', 's1')).toEqual({ state });
    now += 2;
    expect(cache.lookup('!a:hy.test', 'hy.330106', 's1')).toBeUndefined();
  });

  it('does not share entries between servers or admin accounts', async () => {
    const file = path.join(dir, 'cache.json');
    const first = await SnapshotCache.open(file);
    first.bind(owner);
    first.remember('!a:hy.test', 'hy.330106', 's1', state);
    await first.save();
    const other = await SnapshotCache.open(file);
    other.bind({ ...owner, homeserverUrl: 'https://matrix.example.gov.cn' });
    expect(other.lookup('!a:hy.test', 'hy.330106', 's1')).toBeUndefined();
    expect(other.size).toBe(0);
  });

  it('starts empty, and says why, when the file is not a snapshot cache', async () => {
    const file = path.join(dir, 'cache.json');
    await writeFile(file, '{"version": 1, "rooms": [}');
    const broken = await SnapshotCache.open(file);
    expect(broken.problem).toMatch(/cache\.json is not JSON/);
    expect(broken.size).toBe(0);

    await writeFile(
      file,
      JSON.stringify({ version: 1, homeserverUrl: 'x', adminUserId: 'y', rooms: [{ roomId: 3 }] }),
    );
    const wrong = await SnapshotCache.open(file);
    expect(wrong.problem).toMatch(/rooms\.0\.roomId/);
    expect(wrong.size).toBe(0);

    // Saving replaces the bad file with a good one.
    wrong.bind(owner);
    wrong.remember('!a:hy.test', 'hy.330106', 's1', state);
    await wrong.save();
    expect(JSON.parse(await readFile(file, 'utf8')).rooms).toHaveLength(1);
  });

  it('a missing file is an empty cache without a problem', async () => {
    const cache = await SnapshotCache.open(path.join(dir, 'nested', 'cache.json'));
    expect(cache.problem).toBeUndefined();
    cache.bind(owner);
    await cache.save();
    expect(
      JSON.parse(await readFile(path.join(dir, 'nested', 'cache.json'), 'utf8')),
    ).toMatchObject({ version: 1, ...owner, rooms: [] });
  });
});
