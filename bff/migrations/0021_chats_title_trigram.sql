-- The chat list's search is `user_id = $me AND title ILIKE '%q%'`: a GIN index of the owner and
-- the title's trigrams finds the user's few matching chats instead of reading all of them
-- (issue 12). pg_trgm and btree_gin (GIN over uuid) are trusted contrib extensions: in
-- PostgreSQL's contrib (Debian's postgresql-15, the compose image) and in PGlite (loaded by
-- db/index.ts). fastupdate off: PGlite runs no vacuum, so GIN's pending list would only be
-- merged at 4 MB, and every search would read it linearly until then.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX "chats_user_title_trgm_idx" ON "chats" USING gin ("user_id","title" gin_trgm_ops) WITH (fastupdate=false);
