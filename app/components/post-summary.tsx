import type { LibraryType, PostKind } from "~/db/schema";
import { libraryTypeLabels } from "~/lib/library-types";
import { postKindLabels } from "~/lib/post-kinds";
import type { StoryCardData } from "~/lib/story-fields";
import { RelativeTime } from "./relative-time";
import { StoryCard } from "./story-card";
import { AppLink } from "./app-link";

export type PostSummaryData = {
  id: number;
  kind: PostKind;
  title: string;
  slug: string;
  excerpt: string;
  commentCount: number;
  lastActivityAt: Date;
  tags: string[];
  authorUsername: string;
  authorDisplayName: string;
  authorLibraryType: LibraryType;
  /** A Success story's details, shown as a compact card. */
  story?: StoryCardData | null;
};

export function PostSummary({ post, now }: { post: PostSummaryData; now: Date }) {
  return (
    <article className="post-summary" aria-labelledby={`post-${post.id}-title`}>
      <p className="post-summary__meta">
        <span className={`kind-badge kind-badge--${post.kind}`}>{postKindLabels[post.kind]}</span>
      </p>
      <h2 className="post-summary__title" id={`post-${post.id}-title`}>
        <AppLink to={`/posts/${post.id}/${post.slug}`}>{post.title}</AppLink>
      </h2>
      {post.story ? <StoryCard story={post.story} /> : null}
      <p className="post-summary__excerpt">{post.excerpt}</p>
      <p className="post-summary__byline">
        <AppLink to={`/u/${post.authorUsername}`}>{post.authorDisplayName}</AppLink>
        <span className="library-type"> · {libraryTypeLabels[post.authorLibraryType]}</span>
        <span>
          {" "}
          · {post.commentCount} {post.commentCount === 1 ? "reply" : "replies"} · last activity{" "}
          <RelativeTime date={post.lastActivityAt} now={now} />
        </span>
      </p>
      {post.tags.length > 0 ? (
        <ul className="tag-list" aria-label="Tags">
          {post.tags.map((tag) => (
            <li key={tag}>
              <AppLink to={`/tags/${tag}`} className="tag">
                {tag}
              </AppLink>
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
