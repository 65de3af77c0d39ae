import type { AuditAction } from '@atrium/contracts';

/** i18next reads dots as nesting: `registry.rollback` is translated as `auditActions.registry_rollback`. */
export function actionLabelKey(action: AuditAction): `auditActions.${string}` {
  return `auditActions.${action.replace('.', '_')}`;
}
