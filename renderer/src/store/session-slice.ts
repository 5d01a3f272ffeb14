import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

/**
 * Login failures, classified so the login screen can say *which* thing went wrong
 * (bad URL, server down, not a Matrix server, wrong password …) in the user's language.
 */
export type LoginError =
  | { kind: 'missingFields' }
  | { kind: 'invalidUrl'; detail: string }
  | { kind: 'insecureUrl'; url: string }
  | { kind: 'homeserverNotAllowed'; url: string; allowed: string }
  | { kind: 'unreachable'; url: string }
  | { kind: 'notMatrix'; url: string }
  | { kind: 'badCredentials' }
  | { kind: 'userDeactivated' }
  | { kind: 'rateLimited'; seconds: number }
  | { kind: 'serverError'; status: number }
  | { kind: 'crypto'; detail: string }
  /** The identity platform behind single sign-on does not answer. */
  | { kind: 'ssoUnreachable'; url: string }
  /** The login token from single sign-on was refused (expired, used, forged). */
  | { kind: 'ssoFailed' }
  | { kind: 'passwordDisabled' }
  | { kind: 'unknown'; detail: string };

/** Where the user is in the sign-in lifecycle. */
/** `locked`: a session is kept under a passphrase the user has not entered yet (web mode). */
export type SessionStatus = 'signed-out' | 'signing-in' | 'restoring' | 'signed-in' | 'locked';

/** Sync connection state as shown to the user. */
export type ConnectionState = 'syncing' | 'online' | 'offline';

/** Plain data about the signed-in session; the MatrixClient itself lives in `matrix/client-manager`. */
export interface SessionSlice {
  status: SessionStatus;
  userId: string | null;
  deviceId: string | null;
  displayName: string | null;
  homeserverUrl: string | null;
  loginError: LoginError | null;
  connection: ConnectionState;
  setSigningIn(): void;
  setSignedIn(info: {
    userId: string;
    deviceId: string;
    homeserverUrl: string;
    displayName: string | null;
  }): void;
  setLoginError(error: LoginError): void;
  setConnection(state: ConnectionState): void;
  setDisplayName(name: string | null): void;
  setSignedOut(): void;
  setLocked(): void;
}

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  status: 'signed-out',
  userId: null,
  deviceId: null,
  displayName: null,
  homeserverUrl: null,
  loginError: null,
  connection: 'syncing',
  setSigningIn: () => set({ status: 'signing-in', loginError: null }),
  setSignedIn: (info) => set({ status: 'signed-in', loginError: null, ...info }),
  setLoginError: (loginError) => set({ status: 'signed-out', loginError }),
  setConnection: (connection) => set({ connection }),
  setDisplayName: (displayName) => set({ displayName }),
  setLocked: () => set({ status: 'locked', loginError: null }),
  setSignedOut: () =>
    set({
      status: 'signed-out',
      userId: null,
      deviceId: null,
      displayName: null,
      connection: 'syncing',
    }),
});
