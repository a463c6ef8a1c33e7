import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { BODY_MAX, TAGS_MAX, TITLE_MAX, TITLE_MIN } from "~/lib/limits";
import { postKindLabels, postKinds } from "~/lib/post-kinds";
import type { SimilarPost } from "~/models/similar-posts.server";
import { BooklistEditor } from "./booklist-editor";
import { FormError, SelectField, TextAreaField, TextField } from "./form";
import { StoryFields } from "./story-fields";

export type PostFormValues = {
  title?: string;
  kind?: string;
  body?: string;
  tags?: string;
  submissionKey?: string;
};

type Props = {
  values: PostFormValues;
  errors: Record<string, string[] | undefined>;
  formError?: string | null;
  /** Server-rendered preview of the body, from the same renderer that saves it. */
  previewHtml?: string | null;
  submitLabel: string;
  formKey: number;
  /**
   * Published posts with titles like this one, shown under Title. Leave it out
   * (editing) and there is no such region at all.
   */
  similarPosts?: SimilarPost[];
  /** Called with the title on every keystroke, for looking up similar posts as it changes. */
  onTitleChange?: (title: string) => void;
  /** Shown inside the form just above the buttons, so any control in it is sent with the post. */
  beforeActions?: ReactNode;
};

const kindOptions = postKinds.map((kind) => ({ value: kind, label: postKindLabels[kind] }));

/** The post composer: Title, Type, Body, Tags, with Preview beside the submit button. */
export function PostForm({
  values,
  errors,
  formError,
  previewHtml,
  submitLabel,
  formKey,
  similarPosts,
  onTitleChange,
  beforeActions,
}: Props) {
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  return (
    <>
      <FormError message={formError} />
      <Form method="post" noValidate key={formKey} className="post-form">
        {values.submissionKey ? (
          <input type="hidden" name="submissionKey" value={values.submissionKey} />
        ) : null}
        <TextField
          label="Title"
          name="title"
          defaultValue={values.title}
          errors={errors.title}
          hint={`${TITLE_MIN}–${TITLE_MAX} characters. A question or a one-line summary works best.`}
          onChange={onTitleChange ? (event) => onTitleChange(event.currentTarget.value) : undefined}
        />
        {similarPosts ? <SimilarPosts posts={similarPosts} /> : null}
        <SelectField
          label="Type"
          name="kind"
          options={kindOptions}
          placeholder="Choose…"
          defaultValue={values.kind ?? ""}
          errors={errors.kind}
        />
        <StoryFields values={values} errors={errors} />
        <TextAreaField
          label="Body"
          name="body"
          rows={14}
          defaultValue={values.body}
          errors={errors.body}
          hint={`Markdown: **bold**, *italic*, [links](https://example.org), lists, > quotes, tables, @username. Up to ${BODY_MAX.toLocaleString("en-US")} characters.`}
        />
        <TextField
          label="Tags"
          name="tags"
          defaultValue={values.tags}
          errors={errors.tags}
          hint={`Comma separated, at most ${TAGS_MAX}: for example summer-reading, booklists.`}
        />
        <BooklistEditor values={values} errors={errors} />
        {beforeActions}
        <div className="post-form__actions">
          <button
            type="submit"
            name="intent"
            value="preview"
            className="button--secondary"
            disabled={busyIntent != null}
          >
            {busyIntent === "preview" ? "Previewing…" : "Preview"}
          </button>
          <button type="submit" name="intent" value="publish" disabled={busyIntent != null}>
            {busyIntent === "publish" ? "Saving…" : submitLabel}
          </button>
        </div>
      </Form>
      {previewHtml != null ? (
        <section className="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          {/* Output of renderMarkdown, the same sanitizing renderer used when saving. */}
          <div className="prose" dangerouslySetInnerHTML={{ __html: previewHtml }} />
        </section>
      ) : null}
    </>
  );
}

/**
 * Posts that may already cover what is being written. The live region stays in
 * the page even when empty, so screen readers announce the list when it appears.
 */
function SimilarPosts({ posts }: { posts: SimilarPost[] }) {
  return (
    <div aria-live="polite">
      {posts.length > 0 ? (
        <section className="notice similar-posts" aria-labelledby="similar-posts-heading">
          <h2 id="similar-posts-heading">Similar posts</h2>
          <p>Someone may already have asked this. Take a look before you publish.</p>
          <ul>
            {posts.map((post) => (
              <li key={post.id}>
                <Link to={`/posts/${post.id}/${post.slug}`}>{post.title}</Link>
                <span className="muted">
                  {" "}
                  · {postKindLabels[post.kind]} · {post.commentCount}{" "}
                  {post.commentCount === 1 ? "reply" : "replies"}
                  {post.hasAcceptedAnswer ? " · answered" : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
