import type { ErrorCode } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import type { Messages } from './en.js';
import { describeRetry } from './retry-wait.js';

const messageKeys: Partial<Record<ErrorCode | 'network', keyof Messages['errors']>> = {
  network: 'network',
  'auth.invalid_credentials': 'invalidCredentials',
  'auth.account_disabled': 'accountDisabled',
  'auth.password_change_required': 'passwordChangeRequired',
  'auth.wrong_password': 'wrongPassword',
  'auth.password_unchanged': 'passwordUnchanged',
  'auth.password_too_weak': 'passwordTooWeak',
  'auth.forbidden': 'forbidden',
  'auth.csrf_failed': 'csrfFailed',
  'request.invalid_text': 'invalidText',
  'session.not_found': 'sessionNotFound',
  'token.not_found': 'tokenNotFound',
};

/**
 * Known error codes read in the user's language; anything else keeps the server's own message.
 * A sign-in limit says when to try again, from the answer's Retry-After.
 */
export function useErrorMessage(): (error: unknown) => string {
  const { t, i18n } = useTranslation('auth');
  return (error) => {
    if (!(error instanceof ApiRequestError)) return t('errors.unexpected');
    if (error.code === 'auth.rate_limited' || error.code === 'auth.account_locked') {
      const locked = error.code === 'auth.account_locked';
      if (error.retryAfterSeconds === null) return t(locked ? 'errors.accountLockedLater' : 'errors.rateLimited');
      const wait = describeRetry(error.retryAfterSeconds, i18n.resolvedLanguage ?? i18n.language);
      return t(locked ? 'errors.accountLocked' : 'errors.rateLimitedUntil', wait);
    }
    const key = messageKeys[error.code];
    return key ? t(`errors.${key}`) : error.message;
  };
}
