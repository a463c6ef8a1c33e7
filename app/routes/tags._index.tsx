import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { originFrom, pageMeta } from "~/lib/seo";
import { listTags } from "~/models/posts.server";

export function meta({ matches }: Parameters<MetaFunction<typeof loader>>[0]) {
  return pageMeta({
    title: "Tags",
    description: "Every topic school and public librarians are talking about on Crosswalk, most used first.",
    path: "/tags",
    origin: originFrom(matches),
  });
}

export async function loader() {
  return { tags: await listTags() };
}

export default function Tags() {
  const { tags } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Tags</h1>
      {tags.length === 0 ? (
        <p className="empty">No tags yet.</p>
      ) : (
        <ul className="tag-index">
          {tags.map((tag) => (
            <li key={tag.name} className="tag-index__item">
              <Link to={`/tags/${tag.name}`} className="tag">
                {tag.name}
              </Link>{" "}
              <span className="tag-index__count">
                {tag.postCount} {tag.postCount === 1 ? "post" : "posts"}
              </span>
              {tag.description ? <p className="tag-index__description">{tag.description}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
