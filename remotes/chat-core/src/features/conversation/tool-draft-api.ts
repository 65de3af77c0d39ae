import type { ApiClient, DraftResponse } from '@atrium/contracts';
import { trustedResponse } from '@atrium/contracts/values';

/*
 * A tool draft (contracts tools.ts `draftSchema`): a write the assistant proposed, waiting for
 * people. Not the composer's unsent text (draft-limit.ts), which is also called a draft.
 */

/** `GET /api/drafts/:id`: the requester's view of one draft. */
export const fetchToolDraft = (api: ApiClient, draftId: string) =>
  api.get(`/api/drafts/${draftId}`, trustedResponse<DraftResponse>());

/** `POST /api/drafts/:id/withdraw`: the requester takes back a draft still waiting for approval. */
export const withdrawToolDraft = (api: ApiClient, draftId: string) =>
  api.send('POST', `/api/drafts/${draftId}/withdraw`, {}, trustedResponse<DraftResponse>());
