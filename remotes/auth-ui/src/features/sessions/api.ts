import { type ApiClient, okResponseSchema, type SessionView, sessionListResponseSchema } from '@atrium/contracts';

export async function listSessions(api: ApiClient): Promise<SessionView[]> {
  const { sessions } = await api.get('/api/account/sessions', sessionListResponseSchema);
  return sessions;
}

export async function revokeSession(api: ApiClient, id: string): Promise<void> {
  await api.send('DELETE', `/api/account/sessions/${encodeURIComponent(id)}`, {}, okResponseSchema);
}
