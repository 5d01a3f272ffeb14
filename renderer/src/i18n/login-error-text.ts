import { useTranslation } from 'react-i18next';
import type { LoginError } from '../store/session-slice';

/** Turns a classified login error into a sentence in the user's language. */
export function useErrorText(): (error: LoginError) => string {
  const { t } = useTranslation();
  return (error) => {
    const { kind, ...params } = error;
    return t(`login.errors.${kind}`, params);
  };
}
