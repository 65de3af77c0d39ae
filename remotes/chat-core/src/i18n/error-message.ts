import type { AnswerFailureCode, BudgetExceededDetail, ErrorCode, Message } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import type { ChatMessages } from './en.js';

const messageKeys: Partial<Record<ErrorCode | 'network', keyof ChatMessages['errors']>> = {
  network: 'network',
  'auth.forbidden': 'forbidden',
  'chat.not_found': 'chatNotFound',
  'chat.answer_in_progress': 'answerInProgress',
  'chat.no_running_answer': 'noRunningAnswer',
  'chat.nothing_to_answer': 'nothingToAnswer',
  'request.invalid_text': 'invalidText',
  'entitlement.required': 'needsPro',
  'agent.not_found': 'agentNotFound',
};

/**
 * The detail of a 429 `budget.exceeded` body (`budgetExceededDetailSchema` in @atrium/contracts:
 * `budgetUsd` and `costUsd` numbers in US dollars, `renewsAt` an ISO instant), checked as that
 * schema checks it; null for any other body, which is then told without amounts.
 */
export function readBudgetDetail(body: unknown): BudgetExceededDetail | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { budgetUsd, costUsd, renewsAt } = body as Record<string, unknown>;
  const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  if (!finite(budgetUsd) || !finite(costUsd) || typeof renewsAt !== 'string') return null;
  return { budgetUsd, costUsd, renewsAt };
}

/** Known failures read in the user's language; anything else keeps the server's own message. */
export function useErrorMessage(): (error: unknown) => string {
  const { t, i18n } = useTranslation('chat');
  return (error) => {
    if (!(error instanceof ApiRequestError)) return t('errors.unexpected');
    if (error.code === 'budget.exceeded') {
      const detail = readBudgetDetail(error.body);
      if (!detail) return t('errors.budgetExceededPlain');
      const locale = i18n.language;
      return t('errors.budgetExceeded', {
        budget: new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' }).format(detail.budgetUsd),
        renews: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
          new Date(detail.renewsAt),
        ),
      });
    }
    const key = messageKeys[error.code];
    if (key) return t(`errors.${key}`);
    if (error.code === 'request.invalid') return t('errors.invalid', { message: error.message });
    return error.message;
  };
}

const answerErrorKeys: Record<AnswerFailureCode, keyof ChatMessages['answerErrors']> = {
  'agent.failed': 'failed',
  'agent.rate_limited': 'rateLimited',
  'agent.provider_error': 'providerError',
  'agent.timeout': 'timeout',
  'agent.unreachable': 'unreachable',
  'agent.malformed_reply': 'malformedReply',
  'agent.rejected': 'rejected',
  'agent.interrupted': 'interrupted',
  'agent.answer_deadline': 'answerDeadline',
  'agent.answer_too_long': 'answerTooLong',
};

/** Why an answer failed, in the user's language; a code this build does not know keeps the server's message. */
export function useAnswerError(): (error: NonNullable<Message['error']>) => string {
  const { t } = useTranslation('chat');
  return (error) => {
    const key = Object.hasOwn(answerErrorKeys, error.code)
      ? answerErrorKeys[error.code as AnswerFailureCode]
      : undefined;
    return key ? t(`answerErrors.${key}`) : error.message;
  };
}

/** A chat that does not exist, is not the caller's, or whose id is malformed. */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof ApiRequestError &&
    (error.code === 'chat.not_found' ||
      error.status === 404 ||
      (error.status === 400 && error.code === 'request.invalid'))
  );
}
