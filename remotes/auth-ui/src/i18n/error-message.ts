import type { ErrorCode } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import type { Messages } from './en.js';

const messageKeys: Partial<Record<ErrorCode | 'network', keyof Messages['errors']>> = {
  network: 'network',
  'auth.invalid_credentials': 'invalidCredentials',
  'auth.rate_limited': 'rateLimited',
  'auth.wrong_password': 'wrongPassword',
  'auth.password_too_weak': 'passwordTooWeak',
  'auth.forbidden': 'forbidden',
  'auth.csrf_failed': 'csrfFailed',
  'request.invalid_text': 'invalidText',
  'session.not_found': 'sessionNotFound',
};

/** Known error codes read in the user's language; anything else keeps the server's own message. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation('auth');
  return (error) => {
    if (!(error instanceof ApiRequestError)) return t('errors.unexpected');
    const key = messageKeys[error.code];
    return key ? t(`errors.${key}`) : error.message;
  };
}
