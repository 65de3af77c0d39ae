DROP INDEX "audit_log_target_id_idx";--> statement-breakpoint
CREATE INDEX "audit_log_target_prefix_idx" ON "audit_log" USING btree ("target" text_pattern_ops,"id");