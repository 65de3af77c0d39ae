import {
  type ApiClient,
  createDeployTokenResponseSchema,
  deployTokenListResponseSchema,
  deployTokenSchema,
  type Release,
  type RemoteName,
  registryOverviewSchema,
  releaseHistoryResponseSchema,
  releaseResponseSchema,
  remoteStatusSchema,
} from '@atrium/contracts';
import { z } from 'zod';

const remotePath = (remote: RemoteName) => `/api/registry/remotes/${encodeURIComponent(remote)}`;

export async function fetchOverview(api: ApiClient) {
  const { remotes } = await api.get('/api/registry/remotes', registryOverviewSchema);
  return remotes;
}

export function fetchRemoteStatus(api: ApiClient, remote: RemoteName) {
  return api.get(remotePath(remote), remoteStatusSchema);
}

/** Newest first; `before` is the id of the oldest entry already shown. */
export async function fetchHistory(api: ApiClient, remote: RemoteName, page: { before?: string; limit: number }) {
  const query = new URLSearchParams({ limit: String(page.limit) });
  if (page.before) query.set('before', page.before);
  const { entries } = await api.get(`${remotePath(remote)}/history?${query}`, releaseHistoryResponseSchema);
  return entries;
}

async function changed(request: Promise<{ release: Release }>): Promise<Release> {
  return (await request).release;
}

export function promote(api: ApiClient, remote: RemoteName, body: { version: string; reason: string }) {
  return changed(api.send('POST', `${remotePath(remote)}/promote`, body, releaseResponseSchema));
}

export function setCanary(
  api: ApiClient,
  remote: RemoteName,
  body: { version: string; percent: number; reason: string },
) {
  return changed(api.send('PUT', `${remotePath(remote)}/canary`, body, releaseResponseSchema));
}

/** Without `version` the registry rolls back to the previous stable. */
export function rollback(api: ApiClient, remote: RemoteName, body: { version?: string; reason: string }) {
  return changed(api.send('POST', `${remotePath(remote)}/rollback`, body, releaseResponseSchema));
}

export function yank(api: ApiClient, remote: RemoteName, version: string, body: { reason: string }) {
  const path = `${remotePath(remote)}/versions/${encodeURIComponent(version)}/yank`;
  return changed(api.send('POST', path, body, releaseResponseSchema));
}

export async function listDeployTokens(api: ApiClient) {
  const { tokens } = await api.get('/api/registry/tokens', deployTokenListResponseSchema);
  return tokens;
}

export function createDeployToken(api: ApiClient, body: { remote: RemoteName; name: string }) {
  return api.send('POST', '/api/registry/tokens', body, createDeployTokenResponseSchema);
}

export async function revokeDeployToken(api: ApiClient, id: string) {
  const path = `/api/registry/tokens/${encodeURIComponent(id)}`;
  const { token } = await api.send('DELETE', path, undefined, z.object({ token: deployTokenSchema }));
  return token;
}
