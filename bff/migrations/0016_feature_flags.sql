CREATE TABLE "feature_flags" (
	"key" text PRIMARY KEY NOT NULL,
	"description" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"targeting" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "feature_flags" ADD CONSTRAINT "feature_flags_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Hand-written: the flags the code reads (contracts/src/flags.ts flagKeys; docs/feature-flags.md), on for everyone as before.
INSERT INTO "feature_flags" ("key", "description", "enabled", "targeting") VALUES
  ('uploads', 'Uploading documents: POST /api/documents, the Documents entry in the navigation and the drop zone.', true, '{"roles":[],"userIds":[],"percentage":100}'),
  ('mcp.server', 'The MCP server at /mcp (personal access tokens with scope mcp).', true, '{"roles":[],"userIds":[],"percentage":100}'),
  ('agent.tools', 'The assistant is offered tools while it answers; off, it answers from the knowledge base alone.', true, '{"roles":[],"userIds":[],"percentage":100}')
ON CONFLICT ("key") DO NOTHING;
