import type { ErrorCode } from '@atrium/contracts';
import { ApiRequestError } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import type { Messages } from './en.js';

const messageKeys: Partial<Record<ErrorCode | 'network', keyof Messages['errors']>> = {
  network: 'network',
  'user.email_taken': 'emailTaken',
  'user.not_found': 'userNotFound',
  'user.self_action': 'selfAction',
  'user.last_admin': 'lastAdmin',
  'auth.password_too_weak': 'passwordTooWeak',
  'auth.forbidden': 'forbidden',
  'auth.csrf_failed': 'csrfFailed',
  'request.invalid_text': 'invalidText',
  'registry.version_yanked': 'versionYanked',
  'registry.version_in_use': 'versionInUse',
  'registry.not_found': 'registryNotFound',
  'registry.no_stable': 'noStable',
  'registry.no_rollback_target': 'noRollbackTarget',
  'draft.not_found': 'draftNotFound',
  'draft.not_pending': 'draftNotPending',
  'draft.expired': 'draftExpired',
  'draft.own_request': 'draftOwnRequest',
  'draft.already_decided': 'draftAlreadyDecided',
  'draft.wrong_level': 'draftWrongLevel',
  'tool.url_not_allowed': 'toolUrlNotAllowed',
  'tool.invalid_schema': 'toolInvalidSchema',
  'tool.name_taken': 'toolNameTaken',
  'tool.not_found': 'toolNotFound',
  'mcp.server_unreachable': 'mcpServerUnreachable',
  'mcp.server_name_taken': 'mcpServerNameTaken',
  'mcp.server_not_found': 'mcpServerNotFound',
  'agent.not_found': 'agentNotFound',
  'agent.id_taken': 'agentIdTaken',
  'agent.built_in': 'agentBuiltIn',
  'flag.not_found': 'flagNotFound',
};

/**
 * Known error codes read in the user's language; anything else keeps the server's own message.
 * `registry.contract_incompatible` keeps it on purpose: it names the contracts the shell mounts.
 */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation('admin');
  return (error) => {
    if (!(error instanceof ApiRequestError)) return t('errors.unexpected');
    if (error.code === 'request.invalid' && error.issues?.length) {
      const detail = error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return t('errors.invalidRequest', { detail });
    }
    const key = messageKeys[error.code];
    return key ? t(`errors.${key}`) : error.message;
  };
}
