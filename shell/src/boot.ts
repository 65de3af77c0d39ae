import type { BootPayload } from '@atrium/contracts';
import { bootElementId } from '@atrium/contracts/values';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The boot payload's outline (`bootPayloadSchema` in @atrium/contracts: `{ me: object | null,
 * csrfToken: string, remotes: object | null }`), or null when the HTML carries anything else,
 * e.g. a page from a BFF of another version. The BFF wrote the rest itself, from the same
 * contracts, so the shell does not check it again (and loads no zod to).
 */
export function readBootOutline(value: unknown): BootPayload | null {
  if (!isObject(value) || typeof value.csrfToken !== 'string') return null;
  if (value.me !== null && !isObject(value.me)) return null;
  if (value.remotes !== null && !isObject(value.remotes)) return null;
  return value as unknown as BootPayload;
}

/**
 * Reads what the BFF inlined into the HTML: the session and this user's remote map.
 * Throws an `Error` when there is no payload or it is not JSON of the payload's outline.
 */
export function readBootPayload(): BootPayload {
  const element = document.getElementById(bootElementId);
  if (!element?.textContent) throw new Error('The page was not served by the Atrium BFF (no boot payload).');
  const payload = readBootOutline(JSON.parse(element.textContent));
  if (!payload) throw new Error('The boot payload in the page is malformed.');
  return payload;
}
