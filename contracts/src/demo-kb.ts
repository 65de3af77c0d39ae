import { z } from 'zod';
import { documentAudienceSchema } from './documents.js';

/**
 * `bff/demo-kb/manifest.json`: the demo knowledge base the BFF seeds on a fresh database
 * (`ATRIUM_SEED_DEMO_KB`) and the evals ask about. `file` is a plain name in that folder —
 * lower-case words, digits and dashes with a supported extension, never a path — so reading
 * it cannot leave the folder. Titles are what eval cases name as sources.
 */
export const demoManifestSchema = z.array(
  z.object({
    file: z.string().regex(/^[a-z0-9-]+\.(md|txt|html|pdf|docx)$/, 'a plain file name in bff/demo-kb'),
    title: z.string().trim().min(1).max(200),
    audience: documentAudienceSchema,
  }),
);
export type DemoManifest = z.infer<typeof demoManifestSchema>;
