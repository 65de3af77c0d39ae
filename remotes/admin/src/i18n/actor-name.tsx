import type { ActorView } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';

type Translate = (key: `actor.${string}`, values?: Record<string, string>) => string;

/**
 * Who acted (an `ActorView` from the BFF, which sends data, never words) in the reader's
 * language: Atrium itself, a person by name and email, a deploy token by name and remote.
 */
export function actorLabel(actor: ActorView, t: Translate): string {
  switch (actor.kind) {
    case 'system':
      return t('actor.system');
    case 'user':
      return t('actor.user', { name: actor.displayName, email: actor.email });
    case 'former_user':
      return actor.id ? t('actor.formerUser', { id: actor.id }) : t('actor.unknown');
    case 'token':
      return actor.name
        ? t('actor.token', { name: actor.name, remote: actor.remote ?? '' })
        : t('actor.formerToken', { id: actor.id.slice(0, 8) });
  }
}

export function ActorName({ actor }: { actor: ActorView }) {
  const { t } = useTranslation('admin');
  return <>{actorLabel(actor, (key, values) => t(key, values ?? {}))}</>;
}
