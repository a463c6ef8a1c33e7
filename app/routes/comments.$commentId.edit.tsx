import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/lib/request.server";
import { BooklistEditor } from "~/components/booklist-editor";
import { TextAreaField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireUser } from "~/lib/auth.server";
import {
  applyBooklistIntent,
  bookFormValues,
  formRowsFromBooklist,
  parseBooklist,
  readBookFormRows,
} from "~/lib/booklist";
import { invariantResponse, parseId } from "~/lib/http.server";
import { COMMENT_MAX } from "~/lib/limits";
import { can } from "~/lib/permissions";
import { privatePageMeta } from "~/lib/seo";
import { commentEditSchema, formValues, parseForm, type FieldErrors } from "~/lib/validation";
import { listCommentBooklist } from "~/models/booklists.server";
import { deleteComment, getCommentForEditing, updateComment } from "~/models/writing.server";
import { commentPath } from "~/lib/thread-links";

export const meta: MetaFunction = () => privatePageMeta("Edit comment");

async function loadEditableComment(request: Request, commentIdParameter: string | undefined) {
  const user = await requireUser(request);
  const commentId = parseId(commentIdParameter);
  invariantResponse(commentId, "There is no such comment.", { status: 404 });
  const comment = await getCommentForEditing(commentId);
  // Approved comments, and held ones while they wait (their authors may still fix them); not decided or deleted ones.
  invariantResponse(
    comment &&
      !comment.deletedAt &&
      (comment.status === "approved" || comment.status === "pending") &&
      comment.postStatus !== "removed",
    "There is no such comment.",
    { status: 404 },
  );
  invariantResponse(can(user, "edit", comment), "You can only edit your own comments.", { status: 403 });
  return { user, comment };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { comment } = await loadEditableComment(request, params.commentId);
  return {
    comment: {
      id: comment.id,
      bodyMd: comment.bodyMd,
      threadPath: `/posts/${comment.postId}/${comment.postSlug}`,
      postTitle: comment.postTitle,
    },
    booklistValues: bookFormValues(formRowsFromBooklist(await listCommentBooklist(comment.id))),
  };
}

type EditData = { errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, comment } = await loadEditableComment(request, params.commentId);
  const formData = await readForm(request);
  const threadPath = `/posts/${comment.postId}/${comment.postSlug}`;
  const intent = formData.get("intent");
  if (intent === "delete") {
    await deleteComment(comment.id, user.id);
    // The page its conversation was on, which shows the placeholder if replies hold it there.
    return redirect(`${threadPath}?at=${comment.id}#replies-heading`);
  }
  const submitted = formValues(formData);
  const values = { body: submitted.body ?? "", ...bookFormValues(readBookFormRows(submitted)) };
  // Add a book / Remove: the form comes back with a row more or less, nothing saved.
  const booklistChange = applyBooklistIntent(values, intent);
  if (booklistChange) return data<EditData>(booklistChange);
  if (intent !== "save") throw new Response("Unknown action.", { status: 400 });
  const parsed = parseForm(commentEditSchema, formData);
  const booklist = parseBooklist(values);
  if (!parsed.ok || !booklist.ok) {
    const errors = { ...(parsed.ok ? {} : parsed.errors), ...(booklist.ok ? {} : booklist.errors) };
    return data<EditData>({ errors, values }, { status: 400 });
  }
  const saved = await updateComment(comment.id, user.id, parsed.data.body, booklist.rows);
  invariantResponse(saved, "This comment was deleted while you were editing it.", { status: 409 });
  return redirect(commentPath(threadPath, comment.id));
}

export default function EditComment() {
  const { comment, booklistValues } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EditData | undefined;
  const formKey = useFormKey(actionData);
  const saving = useNavigation().state === "submitting";
  return (
    <div className="composer">
      <h1>Edit comment</h1>
      <p>
        On <Link to={commentPath(comment.threadPath, comment.id)}>{comment.postTitle}</Link>. The previous
        version is kept in the comment’s history.
      </p>
      <Form method="post" noValidate key={formKey}>
        <TextAreaField
          label="Comment"
          name="body"
          rows={8}
          defaultValue={actionData?.values.body ?? comment.bodyMd}
          errors={actionData?.errors.body}
          hint={`Markdown works. Up to ${COMMENT_MAX.toLocaleString("en-US")} characters.`}
        />
        <BooklistEditor
          values={actionData?.values ?? booklistValues}
          errors={actionData?.errors ?? {}}
          defaultAction={{ intent: "save", label: "Save changes" }}
        />
        <button type="submit" name="intent" value="save" disabled={saving}>
          Save changes
        </button>
      </Form>
      <section className="danger-zone" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete this comment</h2>
        <p>Replies to it stay in the thread, under “[deleted]”.</p>
        <Form method="post">
          <button type="submit" name="intent" value="delete" className="button--danger" disabled={saving}>
            Delete comment
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
