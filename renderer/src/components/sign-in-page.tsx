import type { ReactNode } from 'react';
import { LanguageSwitch } from './language-switch';

/**
 * The page behind every screen shown before a session is open (sign-in, unlock, a resident's
 * invitation): the language switch on top, then the screen's own card.
 */
export function SignInPage({ className, children }: { className?: string; children: ReactNode }) {
  return (
    <div className={className ? `login-page ${className}` : 'login-page'}>
      <div className="login-topbar">
        <LanguageSwitch />
      </div>
      {children}
    </div>
  );
}
