-- Chats keep their agent under its issue-11 name; the answer records which agent wrote it.
ALTER TABLE "chats" RENAME COLUMN "profile" TO "agent_id";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "agent_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "monthly_budget_usd" double precision;