import { createContext, useContext, type ReactNode } from 'react';
import type { MatrixClient } from 'matrix-js-sdk';
import type { ClientManager } from './client-manager';

const ClientContext = createContext<ClientManager | null>(null);

/** Provides the app's single ClientManager. */
export function ClientProvider({
  manager,
  children,
}: {
  manager: ClientManager;
  children: ReactNode;
}) {
  return <ClientContext.Provider value={manager}>{children}</ClientContext.Provider>;
}

/** The ClientManager (for login/logout flows). */
export function useClientManager(): ClientManager {
  const manager = useContext(ClientContext);
  if (!manager) throw new Error('useClientManager must be used inside <ClientProvider>.');
  return manager;
}

/** The running MatrixClient; throws when called while signed out, which is a programming error. */
export function useMatrixClient(): MatrixClient {
  const client = useClientManager().client;
  if (!client) throw new Error('useMatrixClient called without a signed-in client.');
  return client;
}
