import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type KeyboardEvent } from "react";
import { COMMENT_MAX } from "~/lib/limits";
import type { PrivacyConcern } from "~/lib/privacy-check";
import { BooklistEditor } from "./booklist-editor";
import { FormError, TextAreaField } from "./form";
import { PrivacyNotice } from "./privacy-notice";

type Props = {
  /** Distinguishes the inline reply forms from the one under the thread. */
  idPrefix: string;
  submissionKey: string;
  parent: { id: number; name: string } | null;
  defaultBody?: string;
  /** The values the server sent back: the booklist's rows among them. */
  values?: Record<string, string | undefined>;
  /** Messages by field: `body`, and the booklist's cells (`book[2][isbn]`). */
  errors?: Record<string, string[] | undefined>;
  formError?: string | null;
  /** Where "Cancel" leads without JavaScript (the thread without ?replyTo). */
  cancelHref?: string;
  /** With JavaScript: close the inline form (Escape or Cancel). */
  onCancel?: () => void;
  /** Move focus into the text box when the form appears (an inline reply just opened). */
  focusOnOpen?: boolean;
  /** The id of the heading that names the form ("Leave a reply"); inline forms are named after their parent. */
  labelledBy?: string;
};

/** The "Leave a reply" form: a comment on the post, or a reply to one comment. */
export function CommentForm({
  idPrefix,
  submissionKey,
  parent,
  defaultBody,
  values = {},
  errors = {},
  formError,
  cancelHref,
  onCancel,
  focusOnOpen,
  labelledBy,
}: Props) {
  const navigation = useNavigation();
  const privacyConcerns = usePrivacyConcerns(parent?.id ?? null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const posting =
    navigation.state === "submitting" && navigation.formData?.get("submissionKey") === submissionKey;

  useEffect(() => {
    if (focusOnOpen) textarea.current?.focus();
  }, [focusOnOpen]);

  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === "Escape" && onCancel) {
      event.preventDefault();
      onCancel();
    }
  };

  return (
    <Form
      method="post"
      noValidate
      className="comment-form"
      onKeyDown={closeOnEscape}
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : parent ? `Reply to ${parent.name}` : "Leave a reply"}
    >
      <input type="hidden" name="submissionKey" value={submissionKey} />
      {parent ? <input type="hidden" name="parentId" value={parent.id} /> : null}
      {parent ? (
        <p className="comment-form__context">
          Replying to <a href={`#comment-${parent.id}`}>{parent.name}</a>
        </p>
      ) : null}
      <FormError message={formError} />
      <TextAreaField
        textareaRef={textarea}
        id={`${idPrefix}-body`}
        label="Comment"
        name="body"
        rows={parent ? 4 : 6}
        defaultValue={defaultBody}
        errors={errors.body}
        hint={`Markdown works: **bold**, *italic*, [links](https://example.org), lists. Up to ${COMMENT_MAX.toLocaleString("en-US")} characters.`}
      />
      <BooklistEditor
        values={values}
        errors={errors}
        idPrefix={idPrefix}
        defaultAction={{ intent: "comment", label: "Post comment" }}
      />
      <PrivacyNotice concerns={privacyConcerns} idPrefix={idPrefix} />
      <div className="comment-form__actions">
        <button type="submit" disabled={posting}>
          {posting ? "Posting…" : "Post comment"}
        </button>
        {onCancel ? (
          <button type="button" className="button--secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : cancelHref ? (
          <Link to={cancelHref}>Cancel reply</Link>
        ) : null}
      </div>
    </Form>
  );
}

type CommentAnswer = { form?: string; values?: Record<string, string>; privacyConcerns?: PrivacyConcern[] };

/**
 * What the privacy check found in this form's last Publish. The thread's action
 * answers for every form on the page; the reply it refused names its parent.
 */
function usePrivacyConcerns(parentId: number | null): PrivacyConcern[] {
  const answer = useActionData() as CommentAnswer | undefined;
  if (answer?.form !== "comment" || !answer.privacyConcerns) return [];
  return (answer.values?.parentId ?? "") === String(parentId ?? "") ? answer.privacyConcerns : [];
}
