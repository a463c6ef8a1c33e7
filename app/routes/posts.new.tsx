import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { readForm } from "~/lib/request.server";
import { useEffect, useRef, useState } from "react";
import { useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PostForm } from "~/components/post-form";
import { PRIVACY_CONFIRMATION_FIELD, PRIVACY_REFUSAL, PrivacyNotice } from "~/components/privacy-notice";
import { requireUser } from "~/lib/auth.server";
import { applyBooklistIntent, parseBooklist } from "~/lib/booklist";
import { BODY_MAX } from "~/lib/limits";
import { renderMarkdown } from "~/lib/markdown.server";
import { parseId } from "~/lib/http.server";
import { hasRole } from "~/lib/permissions";
import { findPrivacyConcerns, privacyHoldReason, type PrivacyConcern } from "~/lib/privacy-check";
import {
  consumeRateLimit,
  refundRateLimit,
  retryAfterSeconds,
  tooManyRequestsMessage,
} from "~/lib/rate-limit.server";
import { randomToken } from "~/lib/secrets.server";
import { storyCheckboxValues } from "~/lib/story-fields";
import { formValues, parseForm, postSchema, type FieldErrors } from "~/lib/validation";
import { findSimilarPosts, type SimilarPost } from "~/models/similar-posts.server";
import { getPublishedStoryTitle, parseStoryPart } from "~/models/stories.server";
import { createPost } from "~/models/writing.server";
import type { SimilarPostsAnswer } from "./posts.similar";

export const meta: MetaFunction = () => [{ title: "Start a post · Crosswalk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  // "I tried this" on a story: a follow-up, linked to it. A link to anything else starts a plain post.
  const triedFromId = parseId(new URL(request.url).searchParams.get("triedFrom") ?? undefined);
  const triedFrom = triedFromId ? await getPublishedStoryTitle(triedFromId) : undefined;
  return {
    submissionKey: randomToken(),
    followUp: triedFrom
      ? { kind: "story", triedFrom: String(triedFrom.id), triedFromTitle: triedFrom.title }
      : null,
  };
}

type ComposerData = {
  errors: FieldErrors;
  values: Record<string, string>;
  formError: string | null;
  previewHtml: string | null;
  /** Only a preview looks these up: without JavaScript it is the one way to see them. */
  similarPosts: SimilarPost[];
  /** What the privacy check found, after a Preview or a refused Publish. */
  privacyConcerns?: PrivacyConcern[];
};

/** How long the title must rest before similar posts are looked up, so typing sends few requests. */
const SIMILAR_POSTS_DELAY_MS = 300;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  const values = { ...formValues(formData), ...storyCheckboxValues(formData) };
  const intent = formData.get("intent");

  if (intent === "preview") {
    const similarPosts = await findSimilarPosts(values.title ?? "");
    // The preview renders only what could be saved: a longer body gets the same message as Publish.
    const body = values.body ?? "";
    if (body.length > BODY_MAX) {
      const errors = { body: [`Keep the body to ${BODY_MAX.toLocaleString("en-US")} characters.`] };
      return data<ComposerData>(
        { errors, values, formError: null, previewHtml: null, similarPosts },
        { status: 400 },
      );
    }
    return data<ComposerData>({
      errors: {},
      values,
      formError: null,
      previewHtml: renderMarkdown(values.body ?? ""),
      similarPosts,
      privacyConcerns: findPrivacyConcerns(`${values.title ?? ""}\n\n${body}`),
    });
  }
  // Add a book / Remove: the form comes back with a row more or less, nothing saved.
  const booklistChange = applyBooklistIntent(values, intent);
  if (booklistChange) {
    return data<ComposerData>({ ...booklistChange, formError: null, previewHtml: null, similarPosts: [] });
  }
  if (intent !== "publish") throw new Response("Unknown action.", { status: 400 });

  const parsed = parseForm(postSchema, formData);
  const booklist = parseBooklist(values);
  const story = await parseStoryPart(formData);
  if (!parsed.ok || !booklist.ok || !story.ok) {
    const errors = {
      ...(parsed.ok ? {} : parsed.errors),
      ...(booklist.ok ? {} : booklist.errors),
      ...(story.ok ? {} : story.errors),
    };
    return data<ComposerData>(
      { errors, values, formError: null, previewHtml: null, similarPosts: [] },
      { status: 400 },
    );
  }

  const exempt = hasRole(user, "moderator");
  // Anything that could identify a child needs the author's second look first (docs/privacy-check.md).
  const privacyConcerns = findPrivacyConcerns(`${parsed.data.title}\n\n${parsed.data.body}`);
  if (privacyConcerns.length > 0 && formData.get(PRIVACY_CONFIRMATION_FIELD) !== "yes") {
    return data<ComposerData>(
      {
        errors: {},
        values,
        formError: PRIVACY_REFUSAL,
        previewHtml: null,
        similarPosts: [],
        privacyConcerns,
      },
      { status: 400 },
    );
  }
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
          similarPosts: [],
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
    booklist: booklist.rows,
    story: story.data,
    // Moderators are trusted to have checked; a member's confirmed post waits for one.
    holdReason: !exempt && privacyConcerns.length > 0 ? privacyHoldReason(privacyConcerns) : undefined,
  });
  if (!exempt && post.duplicate) await refundRateLimit("postsPerMember", rateSubject);
  return redirect(`/posts/${post.id}/${post.slug}`);
}

export default function NewPost() {
  const { submissionKey, followUp } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ComposerData | undefined;
  const formKey = useFormKey(actionData);
  const { similarPosts, lookUpSimilarPosts } = useSimilarPosts(actionData?.similarPosts);
  return (
    <div className="composer">
      <h1>Start a post</h1>
      <p>
        Ask a question, share an idea or a success story, or start a discussion with librarians across town.
      </p>
      <PostForm
        values={{ submissionKey, ...followUp, ...actionData?.values }}
        errors={actionData?.errors ?? {}}
        formError={actionData?.formError}
        previewHtml={actionData?.previewHtml}
        submitLabel="Publish"
        formKey={formKey}
        similarPosts={similarPosts}
        onTitleChange={lookUpSimilarPosts}
        beforeActions={<PrivacyNotice concerns={actionData?.privacyConcerns ?? []} idPrefix="post" />}
      />
    </div>
  );
}

/**
 * Similar posts for the title as it is typed: the latest lookup, or before
 * any, what the last Preview found. This is a plain fetch, not useFetcher: a
 * fetcher's failure (a dropped connection) renders the root error boundary in
 * place of the composer and its draft, and suggestions are not worth that.
 */
function useSimilarPosts(fromPreview: SimilarPost[] | undefined) {
  const [found, setFound] = useState<SimilarPost[] | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const pending = useRef<AbortController>();
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      pending.current?.abort();
    },
    [],
  );

  async function load(title: string) {
    // Only the newest lookup may fill the list; an answer to older text would replace it.
    pending.current?.abort();
    const controller = new AbortController();
    pending.current = controller;
    try {
      const response = await fetch(`/posts/similar?${new URLSearchParams({ title: title.trim() })}`, {
        signal: controller.signal,
      });
      if (!response.ok) return;
      const answer = (await response.json()) as SimilarPostsAnswer;
      setFound(answer.posts);
    } catch {
      // A failed or superseded lookup leaves the list as it was: suggestions are a help, not a step.
    }
  }

  function lookUpSimilarPosts(title: string) {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(title), SIMILAR_POSTS_DELAY_MS);
  }

  return { similarPosts: found ?? fromPreview ?? [], lookUpSimilarPosts };
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
