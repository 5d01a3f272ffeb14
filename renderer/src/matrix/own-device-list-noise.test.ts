import type { MatrixClient } from 'matrix-js-sdk';
import { describe, expect, it } from 'vitest';
import {
  deviceListPosition,
  filterOwnDeviceListNoise,
  isOwnEntryNoise,
} from './own-device-list-noise';

describe('deviceListPosition', () => {
  it("reads the device-list field of Synapse's sync token", () => {
    expect(deviceListPosition('s192_1_0_1_1_1_2_205_0_1_1_1_1_1')).toBe('205');
    expect(deviceListPosition('s72_1_0_3_1_1_2_m9~1.12~2.10_0_1')).toBe('m9~1.12~2.10');
  });

  it('knows nothing of other shapes', () => {
    expect(deviceListPosition(undefined)).toBeUndefined();
    expect(deviceListPosition('')).toBeUndefined();
    expect(deviceListPosition('s12_3')).toBeUndefined();
    expect(deviceListPosition('opaque-token-of-another-server')).toBeUndefined();
  });
});

describe('isOwnEntryNoise', () => {
  it('is noise only when the device-list position did not move', () => {
    expect(isOwnEntryNoise('s191_1_0_1_1_1_1_205_0_1', 's192_1_0_1_1_1_2_205_0_1')).toBe(true);
    expect(isOwnEntryNoise('s191_1_0_1_1_1_1_205_0_1', 's192_1_0_1_1_1_2_206_0_1')).toBe(false);
    expect(isOwnEntryNoise(undefined, 's192_1_0_1_1_1_2_205_0_1')).toBe(false);
    expect(isOwnEntryNoise('a', 'a')).toBe(false);
  });
});

describe('filterOwnDeviceListNoise', () => {
  const ME = '@me:hs';

  function fakeClient() {
    const seen: (string[] | undefined)[] = [];
    let token: string | null = null;
    const crypto = {
      processSyncChanges: async (changes: { deviceLists?: { changed?: string[] } }) => {
        seen.push(changes.deviceLists?.changed);
        return [];
      },
    };
    const store = {
      getSyncToken: () => token,
      setSyncToken: (t: string) => {
        token = t;
      },
    };
    const client = {
      getCrypto: () => crypto,
      store,
      getSafeUserId: () => ME,
    } as unknown as MatrixClient;
    /** What the SDK's sync loop does with one response. */
    const sync = async (nextBatch: string, changed: string[]) => {
      client.store.setSyncToken(nextBatch);
      await crypto.processSyncChanges({ deviceLists: { changed } });
    };
    return { client, seen, sync };
  }

  it("drops the own user's entry when no device list moved, and keeps everyone else", async () => {
    const { client, seen, sync } = fakeClient();
    filterOwnDeviceListNoise(client);
    await sync('s10_1_0_1_1_1_1_205_0_1', [ME]); // first sync: nothing to compare with
    await sync('s11_1_0_1_1_1_1_205_0_1', [ME, '@new:hs']);
    await sync('s12_1_0_1_1_1_1_206_0_1', [ME]); // a device changed: passed on
    await sync('s13_1_0_1_1_1_1_206_0_1', ['@other:hs']);
    expect(seen).toEqual([[ME], ['@new:hs'], [ME], ['@other:hs']]);
  });

  it('does nothing without crypto', () => {
    const client = { getCrypto: () => undefined } as unknown as MatrixClient;
    expect(() => filterOwnDeviceListNoise(client)).not.toThrow();
  });
});
