import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm } from "~/lib/request.server";
import { useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PostForm } from "~/components/post-form";
import { requireUser } from "~/lib/auth.server";
import { applyBooklistIntent, bookFormValues, formRowsFromBooklist, parseBooklist } from "~/lib/booklist";
import { invariantResponse, parseId } from "~/lib/http.server";
import { BODY_MAX } from "~/lib/limits";
import { renderMarkdown } from "~/lib/markdown.server";
import { can, hasRole } from "~/lib/permissions";
import { privatePageMeta } from "~/lib/seo";
import { storyCheckboxValues } from "~/lib/story-fields";
import { formValues, parseForm, postSchema, type FieldErrors } from "~/lib/validation";
import { listPostBooklist } from "~/models/booklists.server";
import { getStoryFormValues, parseStoryPart } from "~/models/stories.server";
import { deletePost, getPostForEditing, updatePost } from "~/models/writing.server";

export const meta: MetaFunction = () => privatePageMeta("Edit post");

async function loadEditablePost(request: Request, postIdParameter: string | undefined) {
  const user = await requireUser(request);
  const postId = parseId(postIdParameter);
  invariantResponse(postId, "There is no such post.", { status: 404 });
  const post = await getPostForEditing(postId);
  // Published posts, and held ones while they wait; a removed one is gone, a hidden one is the moderators' to restore.
  invariantResponse(
    post && (post.status === "published" || post.status === "pending"),
    "There is no such post.",
    {
      status: 404,
    },
  );
  invariantResponse(can(user, "edit", post), "You can only edit your own posts.", { status: 403 });
  return { user, post };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { post } = await loadEditablePost(request, params.postId);
  return {
    post: { id: post.id, slug: post.slug, title: post.title },
    values: {
      title: post.title,
      kind: post.kind,
      body: post.bodyMd,
      tags: post.tags.join(", "),
      ...bookFormValues(formRowsFromBooklist(await listPostBooklist(post.id))),
      ...(post.kind === "story" ? await getStoryFormValues(post.id) : {}),
    },
  };
}

type EditData = {
  errors: FieldErrors;
  values: Record<string, string>;
  formError: string | null;
  previewHtml: string | null;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, post } = await loadEditablePost(request, params.postId);
  const formData = await readForm(request);
  const values = { ...formValues(formData), ...storyCheckboxValues(formData) };
  const intent = formData.get("intent");

  if (intent === "preview") {
    // The preview renders only what could be saved: a longer body gets the same message as Publish.
    const body = values.body ?? "";
    if (body.length > BODY_MAX) {
      const errors = { body: [`Keep the body to ${BODY_MAX.toLocaleString("en-US")} characters.`] };
      return data<EditData>({ errors, values, formError: null, previewHtml: null }, { status: 400 });
    }
    return data<EditData>({
      errors: {},
      values,
      formError: null,
      previewHtml: renderMarkdown(values.body ?? ""),
    });
  }
  if (intent === "delete") {
    const result = await deletePost(post.id, { id: user.id, isModerator: hasRole(user, "moderator") });
    if (!result.ok) {
      return data<EditData>(
        {
          errors: {},
          values,
          formError:
            "Others have replied to this post, so it can't be deleted: their replies would be lost. Edit it instead, or ask a moderator.",
          previewHtml: null,
        },
        { status: 409 },
      );
    }
    return redirect("/");
  }
  // Add a book / Remove: the form comes back with a row more or less, nothing saved.
  const booklistChange = applyBooklistIntent(values, intent);
  if (booklistChange) return data<EditData>({ ...booklistChange, formError: null, previewHtml: null });
  if (intent !== "publish") throw new Response("Unknown action.", { status: 400 });

  const parsed = parseForm(postSchema, formData);
  const booklist = parseBooklist(values);
  const story = await parseStoryPart(formData, post.id);
  if (!parsed.ok || !booklist.ok || !story.ok) {
    const errors = {
      ...(parsed.ok ? {} : parsed.errors),
      ...(booklist.ok ? {} : booklist.errors),
      ...(story.ok ? {} : story.errors),
    };
    return data<EditData>({ errors, values, formError: null, previewHtml: null }, { status: 400 });
  }
  await updatePost(post.id, user.id, {
    kind: parsed.data.kind,
    title: parsed.data.title,
    bodyMd: parsed.data.body,
    tags: parsed.data.tags,
    booklist: booklist.rows,
    story: story.data,
  });
  return redirect(`/posts/${post.id}`);
}

export default function EditPost() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EditData | undefined;
  const formKey = useFormKey(actionData);
  // A follow-up's title is no form field: after a refused save it comes from the stored story.
  const storedValues: Record<string, string | undefined> = loaderData.values;
  return (
    <div className="composer">
      <h1>Edit post</h1>
      <p>
        <Link to={`/posts/${loaderData.post.id}/${loaderData.post.slug}`}>
          Back to “{loaderData.post.title}”
        </Link>
        . The previous version is kept in the post’s history.
      </p>
      <PostForm
        values={
          actionData ? { ...actionData.values, triedFromTitle: storedValues.triedFromTitle } : storedValues
        }
        errors={actionData?.errors ?? {}}
        formError={actionData?.formError}
        previewHtml={actionData?.previewHtml}
        submitLabel="Save changes"
        formKey={formKey}
      />
      <section className="danger-zone" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete this post</h2>
        <p>You can delete your post while nobody else has replied to it.</p>
        <Form method="post">
          <button type="submit" name="intent" value="delete" className="button--danger">
            Delete post
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
