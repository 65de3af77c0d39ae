DROP INDEX "chats_user_updated_idx";--> statement-breakpoint
DROP INDEX "drafts_status_created_idx";--> statement-breakpoint
DROP INDEX "drafts_requester_created_idx";--> statement-breakpoint
DROP INDEX "eval_runs_at_idx";--> statement-breakpoint
CREATE INDEX "chats_user_updated_idx" ON "chats" USING btree ("user_id","updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "drafts_status_created_idx" ON "drafts" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "drafts_requester_created_idx" ON "drafts" USING btree ("requester_id","created_at","id");--> statement-breakpoint
CREATE INDEX "eval_runs_at_idx" ON "eval_runs" USING btree ("at","id");