import { Link } from "@remix-run/react";
import { formatAbsolute } from "~/lib/time";

export type RevisionItem = {
  id: number;
  title: string | null;
  bodyMd: string;
  createdAt: Date;
  editorDisplayName: string | null;
  editorUsername: string | null;
};

/** Earlier versions, newest first: who replaced each, when, and the text it had. */
export function RevisionList({ revisions }: { revisions: RevisionItem[] }) {
  if (revisions.length === 0) return <p className="empty">This has not been edited.</p>;
  return (
    <ol className="post-list">
      {revisions.map((revision) => (
        <li key={revision.id}>
          <article className="revision" aria-labelledby={`revision-${revision.id}`}>
            <h2 id={`revision-${revision.id}`}>
              Replaced{" "}
              <time dateTime={revision.createdAt.toISOString()}>{formatAbsolute(revision.createdAt)}</time>
              {revision.editorUsername ? (
                <>
                  {" by "}
                  <Link to={`/u/${revision.editorUsername}`}>{revision.editorDisplayName}</Link>
                </>
              ) : null}
            </h2>
            {revision.title ? <p className="revision__title">Title: {revision.title}</p> : null}
            {/* The markdown source as typed, shown as text: never rendered as HTML here. */}
            <pre className="revision__source">{revision.bodyMd}</pre>
          </article>
        </li>
      ))}
    </ol>
  );
}
