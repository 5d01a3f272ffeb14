/**
 * Test helper: a key request sent straight to one granter device, as an attacker's client (or any
 * Matrix client) could, bypassing the app's own rule of asking only for what it may receive.
 */
import type { MatrixClient } from 'matrix-js-sdk';
import {
  buildKeyRequest,
  KEY_REQUEST_EVENT,
  type KeyRequest,
} from '../../../../shared/circular/key-grant';
import { sendEncryptedToDevices } from '../key-grant-peers';

/** Sends `request` from `from`'s device to `to`'s device, Olm-encrypted. */
export async function requestKeyDirectly(
  from: MatrixClient,
  to: MatrixClient,
  request: KeyRequest,
): Promise<void> {
  await sendEncryptedToDevices(
    from,
    KEY_REQUEST_EVENT,
    [{ userId: to.getSafeUserId(), deviceId: to.getDeviceId() ?? '' }],
    buildKeyRequest(request),
  );
}
