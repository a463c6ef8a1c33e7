import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PostForm } from "~/components/post-form";
import { requireUser } from "~/lib/auth.server";
import { BODY_MAX } from "~/lib/limits";
import { renderMarkdown } from "~/lib/markdown.server";
import { hasRole } from "~/lib/permissions";
import {
  consumeRateLimit,
  refundRateLimit,
  retryAfterSeconds,
  tooManyRequestsMessage,
} from "~/lib/rate-limit.server";
import { randomToken } from "~/lib/secrets.server";
import { formValues, parseForm, postSchema, type FieldErrors } from "~/lib/validation";
import { createPost } from "~/models/writing.server";

export const meta: MetaFunction = () => [{ title: "Start a post · Crosswalk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return { submissionKey: randomToken() };
}

type ComposerData = {
  errors: FieldErrors;
  values: Record<string, string>;
  formError: string | null;
  previewHtml: string | null;
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const values = formValues(formData);
  const intent = formData.get("intent");

  if (intent === "preview") {
    // The preview renders only what could be saved: a longer body gets the same message as Publish.
    const body = values.body ?? "";
    if (body.length > BODY_MAX) {
      const errors = { body: [`Keep the body to ${BODY_MAX.toLocaleString("en-US")} characters.`] };
      return data<ComposerData>({ errors, values, formError: null, previewHtml: null }, { status: 400 });
    }
    return data<ComposerData>({
      errors: {},
      values,
      formError: null,
      previewHtml: renderMarkdown(values.body ?? ""),
    });
  }
  if (intent !== "publish") throw new Response("Unknown action.", { status: 400 });

  const parsed = parseForm(postSchema, formData);
  if (!parsed.ok) {
    return data<ComposerData>(
      { errors: parsed.errors, values, formError: null, previewHtml: null },
      { status: 400 },
    );
  }

  const exempt = hasRole(user, "moderator");
  const rateSubject = String(user.id);
  if (!exempt) {
    const { allowed, bucket } = await consumeRateLimit("postsPerMember", rateSubject);
    if (!allowed) {
      return data<ComposerData>(
        {
          errors: {},
          values,
          formError: tooManyRequestsMessage(
            bucket,
            "You have started several posts in the last few minutes.",
          ),
          previewHtml: null,
        },
        { status: 429, headers: { "Retry-After": String(retryAfterSeconds(bucket)) } },
      );
    }
  }
  const post = await createPost({
    authorId: user.id,
    kind: parsed.data.kind,
    title: parsed.data.title,
    bodyMd: parsed.data.body,
    tags: parsed.data.tags,
    submissionKey: parsed.data.submissionKey,
  });
  if (!exempt && post.duplicate) await refundRateLimit("postsPerMember", rateSubject);
  return redirect(`/posts/${post.id}/${post.slug}`);
}

export default function NewPost() {
  const { submissionKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ComposerData | undefined;
  const formKey = useFormKey(actionData);
  return (
    <div className="composer">
      <h1>Start a post</h1>
      <p>
        Ask a question, share an idea or a success story, or start a discussion with librarians across town.
      </p>
      <PostForm
        values={{ submissionKey, ...actionData?.values }}
        errors={actionData?.errors ?? {}}
        formError={actionData?.formError}
        previewHtml={actionData?.previewHtml}
        submitLabel="Publish"
        formKey={formKey}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
