import { useTranslation } from 'react-i18next';
import { actorView } from '../release-state.js';

/** Who acted: a person by name when known, a deploy token, or the registry itself. */
export function ActorName({ actor, names }: { actor: string; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation('admin');
  const view = actorView(actor, names);
  if (view.kind === 'system') return <>{t('history.system')}</>;
  if (view.kind === 'token') return <>{t('history.token', { id: view.id.slice(0, 8) })}</>;
  return <>{view.name ?? t('history.unknownUser', { id: view.id.slice(0, 8) })}</>;
}
