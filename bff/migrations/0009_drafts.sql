CREATE TABLE "draft_decisions" (
	"draft_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"actor_id" uuid,
	"approve" boolean NOT NULL,
	"reason" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "draft_decisions_level_uq" UNIQUE("draft_id","level"),
	CONSTRAINT "draft_decisions_actor_uq" UNIQUE("draft_id","actor_id")
);
--> statement-breakpoint
CREATE TABLE "drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tool" text NOT NULL,
	"risk" text NOT NULL,
	"arguments" jsonb NOT NULL,
	"summary" text NOT NULL,
	"status" text NOT NULL,
	"requester_id" uuid NOT NULL,
	"chat_id" uuid,
	"answer_id" uuid,
	"step_id" text,
	"levels" jsonb NOT NULL,
	"decider_roles" text[] NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"outcome" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "draft_decisions" ADD CONSTRAINT "draft_decisions_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_decisions" ADD CONSTRAINT "draft_decisions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drafts" ADD CONSTRAINT "drafts_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "drafts_status_created_idx" ON "drafts" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "drafts_requester_created_idx" ON "drafts" USING btree ("requester_id","created_at");