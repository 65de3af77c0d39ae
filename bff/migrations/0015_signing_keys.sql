CREATE TABLE "signing_keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"remote" text NOT NULL,
	"name" text NOT NULL,
	"public_key_pem" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoked_reason" text
);
--> statement-breakpoint
ALTER TABLE "remote_versions" ADD COLUMN "signature_key_id" text;--> statement-breakpoint
ALTER TABLE "remote_versions" ADD COLUMN "signature" text;--> statement-breakpoint
ALTER TABLE "remote_versions" ADD COLUMN "signed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "remote_versions" ADD COLUMN "git_dirty" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "signing_keys_remote_idx" ON "signing_keys" USING btree ("remote");