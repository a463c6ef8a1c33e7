import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PostList, postListHref } from "~/components/post-list";
import { invariantResponse } from "~/lib/http.server";
import { loadPostList, parsePostListQuery, TAG_NAME_PATTERN } from "~/lib/post-list.server";
import { originFrom, pageMeta, privatePageMeta } from "~/lib/seo";
import { getTag } from "~/models/posts.server";

export function meta({ data, matches }: Parameters<MetaFunction<typeof loader>>[0]) {
  if (!data) return privatePageMeta("Tag not found");
  return [
    ...pageMeta({
      title: `Posts tagged ${data.tagName}`,
      description:
        data.description ||
        `Questions, ideas and stories tagged ${data.tagName}, from school and public librarians on Crosswalk.`,
      // As on /: the filters and sort stay, the cursor goes.
      path: postListHref(`/tags/${data.tagName}`, { kind: data.kind, sort: data.sort, period: data.period }),
      origin: originFrom(matches),
    }),
    {
      tagName: "link",
      rel: "alternate",
      type: "application/atom+xml",
      title: `Crosswalk: posts tagged ${data.tagName}`,
      href: `/tags/${data.tagName}/feed.xml`,
    },
  ];
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const name = params.tag ?? "";
  // Junk is no tag's name: 404 as for any page that is not there.
  invariantResponse(TAG_NAME_PATTERN.test(name), "There is no such tag.", { status: 404 });
  const { query, cursor } = parsePostListQuery(new URL(request.url), { tag: name });
  const tag = await getTag(name);
  invariantResponse(tag, `There is no tag called "${name}".`, { status: 404 });
  const list = await loadPostList(query, cursor, { home: false });
  return { ...list, tagName: tag.name, description: tag.description };
}

export default function TagPage() {
  const { tagName, description, ...list } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Posts tagged {tagName}</h1>
      {description ? <p className="tag-description">{description}</p> : null}
      <p className="tag-page__all">
        <Link to="/tags">All tags</Link>
      </p>
      <PostList basePath={`/tags/${tagName}`} {...list} tag={undefined} />
    </>
  );
}
