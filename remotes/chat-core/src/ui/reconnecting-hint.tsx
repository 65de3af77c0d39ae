import type { ServerEventStream } from '@atrium/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A brief connecting blip at start-up is not worth a hint; a stream still down after this is. */
const graceMs = 1500;

export function ReconnectingHint({ events }: { events: ServerEventStream }) {
  const { t } = useTranslation('chat');
  const [down, setDown] = useState(false);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const follow = (state: ReturnType<ServerEventStream['state']>) => {
      clearTimeout(timer);
      if (state === 'open') setDown(false);
      else timer = setTimeout(() => setDown(true), graceMs);
    };
    follow(events.state());
    const unsubscribe = events.onStateChange(follow);
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [events]);

  return (
    <span role="status" className="chat-reconnecting">
      {down ? <span data-testid="reconnecting-hint">{t('reconnecting')}</span> : null}
    </span>
  );
}
