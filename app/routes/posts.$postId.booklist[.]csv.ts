import type { LoaderFunctionArgs } from "@remix-run/node";
import { booklistCsv } from "~/lib/booklist";
import { invariantResponse, parseId } from "~/lib/http.server";
import { getPublishedPostBooklist } from "~/models/booklists.server";

// GET /posts/:postId/booklist.csv: a published post's booklist as a
// spreadsheet (docs/decisions/021-booklist-csv.md). A resource route; the
// static "booklist.csv" segment ranks above the thread page's optional :slug,
// so this route answers it.
export async function loader({ params }: LoaderFunctionArgs) {
  const postId = parseId(params.postId);
  const booklist = postId === null ? undefined : await getPublishedPostBooklist(postId);
  invariantResponse(booklist, "This post has no booklist.", { status: 404 });
  return new Response(booklistCsv(booklist.rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${booklist.post.slug}-booklist.csv"`,
      "Cache-Control": "no-cache",
    },
  });
}
