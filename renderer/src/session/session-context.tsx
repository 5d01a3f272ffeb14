import { createContext, useContext, type ReactNode } from 'react';
import type { SessionController } from './session-controller';
import type { Platform } from '../platform/platform';

interface SessionContextValue {
  controller: SessionController;
  platform: Platform;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Provides the session controller and the platform to chat components. */
export function SessionProvider({
  value,
  children,
}: {
  value: SessionContextValue;
  children: ReactNode;
}) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session controller and platform; throws outside {@link SessionProvider}. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>.');
  return value;
}
