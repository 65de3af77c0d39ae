import { type BootPayload, bootElementId, bootPayloadSchema } from '@atrium/contracts';

/** Reads what the BFF inlined into the HTML: the session and this user's remote map. */
export function readBootPayload(): BootPayload {
  const element = document.getElementById(bootElementId);
  if (!element?.textContent) throw new Error('The page was not served by the Atrium BFF (no boot payload).');
  return bootPayloadSchema.parse(JSON.parse(element.textContent));
}
