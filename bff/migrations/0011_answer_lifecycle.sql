-- New enum values can't be used in the transaction that adds them (the partial indexes below
-- name them, and migrations run in one transaction), so the type is replaced, not extended.
DROP INDEX "messages_one_running_answer_idx";--> statement-breakpoint
DROP INDEX "messages_running_lease_idx";--> statement-breakpoint
ALTER TYPE "public"."message_status" RENAME TO "message_status_before_0011";--> statement-breakpoint
CREATE TYPE "public"."message_status" AS ENUM('pending', 'retrieving', 'streaming', 'calling_tool', 'awaiting_approval', 'complete', 'failed', 'stopped', 'interrupted');--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "status" SET DATA TYPE "public"."message_status" USING "status"::text::"public"."message_status";--> statement-breakpoint
DROP TYPE "public"."message_status_before_0011";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "steps" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_one_running_answer_idx" ON "messages" USING btree ("chat_id") WHERE role = 'assistant' and status in ('pending', 'retrieving', 'streaming', 'calling_tool');--> statement-breakpoint
CREATE INDEX "messages_running_lease_idx" ON "messages" USING btree ("lease_until") WHERE status in ('pending', 'retrieving', 'streaming', 'calling_tool');
