import { Form, useNavigation } from "@remix-run/react";
import { BODY_MAX, TAGS_MAX, TITLE_MAX, TITLE_MIN } from "~/lib/limits";
import { postKindLabels, postKinds } from "~/lib/post-kinds";
import { FormError, SelectField, TextAreaField, TextField } from "./form";

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
};

const kindOptions = postKinds.map((kind) => ({ value: kind, label: postKindLabels[kind] }));

/** The post composer: Title, Type, Body, Tags, with Preview beside the submit button. */
export function PostForm({ values, errors, formError, previewHtml, submitLabel, formKey }: Props) {
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
        />
        <SelectField
          label="Type"
          name="kind"
          options={kindOptions}
          placeholder="Choose…"
          defaultValue={values.kind ?? ""}
          errors={errors.kind}
        />
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
