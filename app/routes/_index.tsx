import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PostList, postListHref } from "~/components/post-list";
import { postKindPluralLabels } from "~/lib/post-kinds";
import { loadPostList, parsePostListQuery } from "~/lib/post-list.server";
import { originFrom, pageMeta, SITE_DESCRIPTION } from "~/lib/seo";

export function meta({ data, matches }: Parameters<MetaFunction<typeof loader>>[0]) {
  const kind = data?.kind;
  const base = kind ? postKindPluralLabels[kind] : "Latest discussions";
  return pageMeta({
    title: data?.tag ? `${base} tagged ${data.tag}` : base,
    description: SITE_DESCRIPTION,
    // The filters and sort name a list of their own; a cursor is only a page of it.
    path: data
      ? postListHref("/", { kind: data.kind, tag: data.tag, sort: data.sort, period: data.period })
      : "/",
    origin: originFrom(matches),
  });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { query, cursor } = parsePostListQuery(new URL(request.url));
  // A valid tag name nobody uses yet lists nothing: no lookup, no 404.
  return loadPostList(query, cursor, { home: true });
}

export default function LatestDiscussions() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{data.kind ? postKindPluralLabels[data.kind] : "Latest discussions"}</h1>
      <PostList basePath="/" {...data} />
    </>
  );
}
