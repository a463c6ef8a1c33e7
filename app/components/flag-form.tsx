import { Form, useNavigation } from "@remix-run/react";
import type { FieldErrors } from "~/lib/validation";
import { FormError, Notice, SelectField, TextAreaField, useFormKey } from "./form";

export type FlagFormAnswer = {
  errors: FieldErrors;
  values: Record<string, string>;
  formError: string | null;
};

type Props = {
  noun: "post" | "comment";
  alreadyFlagged: boolean;
  reasons: { value: string; label: string }[];
  noteMax: number;
  flagsToHide: number;
  answer: FlagFormAnswer | undefined;
};

/** Flag → Reason and Note → Send flag, the same for a post and a comment. */
export function FlagForm({ noun, alreadyFlagged, reasons, noteMax, flagsToHide, answer }: Props) {
  const formKey = useFormKey(answer);
  const sending = useNavigation().state === "submitting";
  if (alreadyFlagged) return <Notice>You have already flagged this. A moderator will look at it.</Notice>;
  return (
    <Form method="post" noValidate key={formKey}>
      <p>
        Tell the moderators what is wrong. Once {flagsToHide} members have flagged a {noun}, it is hidden
        until a moderator has looked at it.
      </p>
      <FormError message={answer?.formError} />
      <SelectField
        label="Reason"
        name="reason"
        options={reasons}
        placeholder="Choose a reason"
        required
        defaultValue={answer?.values.reason ?? ""}
        errors={answer?.errors.reason}
      />
      <TextAreaField
        label="Note"
        name="note"
        rows={5}
        maxLength={noteMax}
        hint={`Optional, up to ${noteMax.toLocaleString("en-US")} characters. Needed when the reason is Other.`}
        defaultValue={answer?.values.note ?? ""}
        errors={answer?.errors.note}
      />
      <button type="submit" disabled={sending}>
        Send flag
      </button>
    </Form>
  );
}
