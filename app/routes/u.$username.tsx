import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { RelativeTime } from "~/components/relative-time";
import { invariantResponse } from "~/lib/http.server";
import { libraryTypeLabels } from "~/lib/library-types";
import { postKindLabels } from "~/lib/post-kinds";
import { originFrom, pageMeta, privatePageMeta } from "~/lib/seo";
import { formatAbsolute } from "~/lib/time";
import { listApprovedCommentsByAuthor } from "~/models/comments.server";
import { listPublishedPostsByAuthor } from "~/models/posts.server";
import { getPublicProfile } from "~/models/users.server";
import { commentPath } from "~/lib/thread-links";

export function meta({ data, matches }: Parameters<MetaFunction<typeof loader>>[0]) {
  if (!data) return privatePageMeta("Not found");
  const { profile } = data;
  return pageMeta({
    title: profile.displayName,
    description:
      profile.bio || `Posts and replies by ${profile.displayName} (@${profile.username}) on Crosswalk.`,
    path: `/u/${profile.username}`,
    origin: originFrom(matches),
    type: "profile",
  });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const username = params.username ?? "";
  invariantResponse(/^[a-z0-9_-]{3,30}$/.test(username), "There is no such member.", { status: 404 });
  const profile = await getPublicProfile(username);
  invariantResponse(profile, "There is no such member.", { status: 404 });
  invariantResponse(!profile.deleted, "This member deleted their account.", { status: 410 });
  const [posts, comments] = await Promise.all([
    listPublishedPostsByAuthor(profile.id),
    listApprovedCommentsByAuthor(profile.id),
  ]);
  return { profile, posts, comments, now: new Date() };
}

export default function Profile() {
  const { profile, posts, comments, now } = useLoaderData<typeof loader>();
  return (
    <div className="profile">
      <header className="profile__header">
        <h1>{profile.displayName}</h1>
        <p className="profile__handle">@{profile.username}</p>
        <dl className="profile__facts">
          <dt>Library</dt>
          <dd>{libraryTypeLabels[profile.libraryType]}</dd>
          {profile.community ? (
            <>
              <dt>Community</dt>
              <dd>{profile.community}</dd>
            </>
          ) : null}
          <dt>Member since</dt>
          <dd>
            <time dateTime={profile.createdAt.toISOString()}>{formatAbsolute(profile.createdAt)}</time>
          </dd>
          {profile.role !== "member" ? (
            <>
              <dt>Role</dt>
              <dd>{profile.role === "admin" ? "Administrator" : "Moderator"}</dd>
            </>
          ) : null}
        </dl>
        {profile.bio ? <p className="profile__bio">{profile.bio}</p> : null}
      </header>

      <section aria-labelledby="profile-posts">
        <h2 id="profile-posts">Posts</h2>
        {posts.length === 0 ? (
          <p className="empty">No posts yet.</p>
        ) : (
          <ul className="profile__list">
            {posts.map((post) => (
              <li key={post.id}>
                <span className={`kind-badge kind-badge--${post.kind}`}>{postKindLabels[post.kind]}</span>{" "}
                <Link to={`/posts/${post.id}/${post.slug}`}>{post.title}</Link> ·{" "}
                <RelativeTime date={post.createdAt} now={now} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="profile-comments">
        <h2 id="profile-comments">Replies</h2>
        {comments.length === 0 ? (
          <p className="empty">No replies yet.</p>
        ) : (
          <ul className="profile__list">
            {comments.map((comment) => (
              <li key={comment.id} className="profile__comment">
                <p>
                  On{" "}
                  <Link to={commentPath({ id: comment.postId, slug: comment.postSlug }, comment.id)}>
                    {comment.postTitle}
                  </Link>{" "}
                  · <RelativeTime date={comment.createdAt} now={now} />
                </p>
                {/* Stored HTML from renderMarkdown, sanitized when it was saved. */}
                <div className="prose" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
