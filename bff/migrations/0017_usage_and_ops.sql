CREATE TABLE "eval_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"passed" integer NOT NULL,
	"total" integer NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reported_by" uuid,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_rollups" (
	"minute" timestamp with time zone NOT NULL,
	"route" text NOT NULL,
	"method" text NOT NULL,
	"status_class" text NOT NULL,
	"count" integer NOT NULL,
	"sum_ms" double precision NOT NULL,
	"buckets" integer[] NOT NULL,
	CONSTRAINT "request_rollups_minute_route_method_status_class_pk" PRIMARY KEY("minute","route","method","status_class")
);
--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "eval_runs_at_idx" ON "eval_runs" USING btree ("at");--> statement-breakpoint
CREATE INDEX "messages_answers_created_idx" ON "messages" USING btree ("created_at") WHERE role = 'assistant';--> statement-breakpoint
CREATE INDEX "messages_answers_user_created_idx" ON "messages" USING btree ("user_id","created_at") WHERE role = 'assistant';