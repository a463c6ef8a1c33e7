-- Custom SQL migration file, put your code below! --
-- Every write to a table that a visitor's page can show notifies the app
-- processes, which then forget the visitors' pages they keep in memory
-- (app/lib/visitor-pages.server.ts, docs/decisions/030-visitor-page-cache.md).
-- Notifications are delivered at commit, and the same one raised several times
-- in a transaction is delivered once. Sessions, reset tokens, notifications,
-- subscriptions, e-mail preferences, the outbox and rate limits are left out:
-- no visitor's page shows them, and they change on members' every visit.
CREATE FUNCTION notify_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crosswalk_content_changed', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER users_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER posts_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON posts FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER comments_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON comments FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER tags_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tags FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER post_tags_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON post_tags FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER votes_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON votes FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER flags_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON flags FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER moderation_actions_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON moderation_actions FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER story_details_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON story_details FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER booklist_items_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booklist_items FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER answer_summaries_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON answer_summaries FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER answer_summary_credits_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON answer_summary_credits FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER answer_summary_revisions_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON answer_summary_revisions FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER introductions_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON introductions FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER member_blocks_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON member_blocks FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER revisions_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON revisions FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
--> statement-breakpoint
CREATE TRIGGER settings_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
