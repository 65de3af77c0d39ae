CREATE TYPE "public"."document_audience" AS ENUM('private', 'everyone', 'agent_l1', 'agent_l2');--> statement-breakpoint
CREATE TYPE "public"."document_status" AS ENUM('queued', 'parsing', 'chunking', 'embedding', 'ready', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "document_chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"audience_rank" smallint NOT NULL,
	"ordinal" integer NOT NULL,
	"text" text NOT NULL,
	"heading_path" jsonb NOT NULL,
	"page" integer,
	"char_start" integer NOT NULL,
	"char_end" integer NOT NULL,
	"token_count" integer NOT NULL,
	"content_sha256" text NOT NULL,
	"search_vector" "tsvector" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"title" text NOT NULL,
	"filename" text NOT NULL,
	"media_type" text,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"audience" "document_audience" NOT NULL,
	"audience_rank" smallint NOT NULL,
	"status" "document_status" NOT NULL,
	"failure" jsonb,
	"progress" jsonb,
	"page_count" integer,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"queue" text NOT NULL,
	"key" text,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "citations" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "invalid_citations" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "document_chunks" ADD CONSTRAINT "document_chunks_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "document_chunks_document_ordinal_idx" ON "document_chunks" USING btree ("document_id","ordinal");--> statement-breakpoint
CREATE INDEX "document_chunks_search_idx" ON "document_chunks" USING gin ("search_vector");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_owner_sha256_idx" ON "documents" USING btree ("owner_id","sha256");--> statement-breakpoint
CREATE INDEX "documents_owner_created_idx" ON "documents" USING btree ("owner_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "documents_rank_created_idx" ON "documents" USING btree ("audience_rank","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_active_key_idx" ON "jobs" USING btree ("queue","key") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "jobs_claim_idx" ON "jobs" USING btree ("queue","run_at") WHERE status in ('queued', 'running');--> statement-breakpoint
-- Vectors only where pgvector exists (PGlite ships it; the compose file's Postgres image has it;
-- Debian's PostgreSQL 15 does not). Without it the knowledge base is full-text only and says so
-- at start-up and in /readyz. These tables are not in the drizzle schema: retrieval/vector-store.ts
-- is their only reader and writer, in SQL. Dimensions vary by embedding model, so the column is
-- untyped and the HNSW index is a partial expression index per dimension, made when first needed.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    EXECUTE 'CREATE EXTENSION IF NOT EXISTS vector';
    EXECUTE 'CREATE TABLE IF NOT EXISTS chunk_embeddings (
      chunk_id uuid PRIMARY KEY REFERENCES document_chunks(id) ON DELETE CASCADE,
      owner_id uuid NOT NULL,
      audience_rank smallint NOT NULL,
      model text NOT NULL,
      dims integer NOT NULL,
      embedding vector NOT NULL
    )';
    EXECUTE 'CREATE TABLE IF NOT EXISTS embedding_cache (
      model text NOT NULL,
      content_sha256 text NOT NULL,
      embedding vector NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (model, content_sha256)
    )';
  END IF;
END
$$;
