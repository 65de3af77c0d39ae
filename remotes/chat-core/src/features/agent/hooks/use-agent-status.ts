import type { AgentStatus, ApiClient, ServerEventStream } from '@atrium/contracts';
import { useEffect, useState } from 'react';
import { getAgentStatus } from '../api.js';

/** How answers are produced right now; re-read after each finished answer (the breaker may have moved). */
export function useAgentStatus(api: ApiClient, events: ServerEventStream): AgentStatus | null {
  const [status, setStatus] = useState<AgentStatus | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(
    () =>
      events.subscribe((event) => {
        if (event.type === 'message.updated' && event.message.role === 'assistant') setVersion((n) => n + 1);
      }),
    [events],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the re-read trigger
  useEffect(() => {
    let cancelled = false;
    getAgentStatus(api).then(
      (next) => !cancelled && setStatus(next),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, version]);

  return status;
}
