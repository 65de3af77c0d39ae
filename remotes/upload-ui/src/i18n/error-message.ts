import type { ErrorCode } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import type { Messages } from './en.js';

const messageKeys: Partial<Record<ErrorCode | 'network', keyof Messages['errors']>> = {
  network: 'network',
  'auth.forbidden': 'forbidden',
  'auth.csrf_failed': 'csrfFailed',
  'document.not_found': 'notFound',
  'document.wrong_status': 'wrongStatus',
  'request.too_large': 'tooLarge',
  'request.unsupported_media_type': 'unsupportedType',
};

/** Known failures read in the user's language; anything else keeps the server's own message. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation('uploads');
  return (error) => {
    if (!(error instanceof ApiRequestError)) return t('errors.unexpected');
    if (error.code === 'request.invalid') {
      const detail = error.issues?.length
        ? error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')
        : error.message;
      return t('errors.invalid', { detail });
    }
    const key = messageKeys[error.code];
    return key ? t(`errors.${key}`) : error.message;
  };
}

/** A document that does not exist, is not visible to the caller, or whose id is malformed. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiRequestError && (error.status === 404 || error.code === 'request.invalid');
}
