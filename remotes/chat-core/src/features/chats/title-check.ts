import type { renameChatRequestSchema } from '@atrium/contracts';

type RenameSchema = typeof renameChatRequestSchema;

/**
 * Whether `title` passes the BFF's own rule for a chat title (`renameChatRequestSchema` in
 * @atrium/contracts: trimmed, 1–`chatTitleMaxChars` characters). The schema, and zod with it, is
 * imported on the first rename, not with the chat page. If that import fails (network), the title
 * is sent as it is and the BFF's `request.invalid` answers instead.
 */
export async function titleFits(
  title: string,
  load: () => Promise<RenameSchema> = async () => (await import('@atrium/contracts')).renameChatRequestSchema,
): Promise<boolean> {
  let schema: RenameSchema;
  try {
    schema = await load();
  } catch {
    return true;
  }
  return schema.safeParse({ title }).success;
}
