import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { RevisionList } from "~/components/revision-list";
import { requireUser } from "~/lib/auth.server";
import { invariantResponse, parseId } from "~/lib/http.server";
import { can } from "~/lib/permissions";
import { privatePageMeta } from "~/lib/seo";
import { listRevisions } from "~/models/comments.server";
import { getPublishedPost } from "~/models/posts.server";

export const meta: MetaFunction = () => privatePageMeta("Post history");

/**
 * Earlier versions can hold what a moderator edited out (a phone number, a
 * name), so the history is for the author and moderators, not the public.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const postId = parseId(params.postId);
  invariantResponse(postId, "There is no such post.", { status: 404 });
  const post = await getPublishedPost(postId);
  invariantResponse(post, "There is no such post.", { status: 404 });
  invariantResponse(can(user, "edit", post), "Only the author and moderators can see a post's history.", {
    status: 403,
  });
  return {
    post: { id: post.id, slug: post.slug, title: post.title },
    revisions: await listRevisions({ postId }),
  };
}

export default function PostRevisions() {
  const { post, revisions } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>History of “{post.title}”</h1>
      <p>
        <Link to={`/posts/${post.id}/${post.slug}`}>Back to the current version</Link>
      </p>
      <RevisionList revisions={revisions} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
