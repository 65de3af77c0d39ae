import { useTranslation } from 'react-i18next';

/** Who acted, as the registry names them; the registry itself in the reader's language. */
export function ActorName({ actor, name }: { actor: string; name: string }) {
  const { t } = useTranslation('admin');
  return <>{actor === 'system' ? t('history.system') : name}</>;
}
