DROP INDEX "posts_author_id_idx";--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "submission_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "posts_author_submission_key" ON "posts" USING btree ("author_id","submission_key");--> statement-breakpoint
CREATE INDEX "sessions_last_seen_at_idx" ON "sessions" USING btree ("last_seen_at");