import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/lib/request.server";
import { CheckboxField, Notice, TextAreaField, TextField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireRole } from "~/lib/auth.server";
import { moderationPolicySchema, type ModerationPolicy } from "~/lib/moderation-policy";
import { privatePageMeta } from "~/lib/seo";
import { formValues, type FieldErrors } from "~/lib/validation";
import { getModerationPolicy, saveModerationPolicy } from "~/models/settings.server";

export const meta: MetaFunction = () => privatePageMeta("Site settings");

const { trustThreshold, linkLimit } = moderationPolicySchema.shape;
const boundsOf = (field: typeof trustThreshold) => ({ min: field.minValue ?? 0, max: field.maxValue ?? 0 });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const policy = await getModerationPolicy();
  return {
    policy,
    bounds: { trustThreshold: boundsOf(trustThreshold), linkLimit: boundsOf(linkLimit) },
    saved: new URL(request.url).searchParams.get("saved") === "1",
  };
}

type PolicyForm = {
  trustThreshold: string;
  linkLimit: string;
  blockedWords: string;
  holdEverything: boolean;
};

/** "12" → 12; anything else (blank, "2.5", "two") → NaN, which the schema refuses. */
function wholeNumber(value: string) {
  const trimmed = value.trim();
  return /^-?\d{1,9}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** One word or phrase per line: trimmed, blank lines dropped, repeats (in any capitals) kept once. */
function blockedWordList(text: string) {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const word = line.trim();
    const key = word.toLowerCase();
    if (word === "" || seen.has(key)) continue;
    seen.add(key);
    words.push(word);
  }
  return words;
}

const numberMessage = (field: typeof trustThreshold) => {
  const { min, max } = boundsOf(field);
  return `Enter a whole number from ${min} to ${max.toLocaleString("en-US")}.`;
};

function policyErrors(issues: readonly { path: PropertyKey[] }[], words: string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const [field, index] = issue.path;
    if (field === "trustThreshold") errors.trustThreshold = [numberMessage(trustThreshold)];
    if (field === "linkLimit") errors.linkLimit = [numberMessage(linkLimit)];
    if (field === "blockedWords") {
      const word = typeof index === "number" ? words[index] : undefined;
      errors.blockedWords = [
        word === undefined
          ? "Keep the list to 1,000 words or phrases."
          : `Keep each word or phrase to 100 characters; the one starting “${word.slice(0, 20)}” is longer.`,
      ];
    }
  }
  return errors;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const values = formValues(await readForm(request));
  const form: PolicyForm = {
    trustThreshold: values.trustThreshold ?? "",
    linkLimit: values.linkLimit ?? "",
    blockedWords: values.blockedWords ?? "",
    holdEverything: values.holdEverything !== undefined,
  };
  const words = blockedWordList(form.blockedWords);
  const parsed = moderationPolicySchema.safeParse({
    trustThreshold: wholeNumber(form.trustThreshold),
    linkLimit: wholeNumber(form.linkLimit),
    blockedWords: words,
    holdEverything: form.holdEverything,
  } satisfies ModerationPolicy);
  if (!parsed.success) {
    return data({ errors: policyErrors(parsed.error.issues, words), values: form }, { status: 400 });
  }
  await saveModerationPolicy(parsed.data, user.id);
  return redirect("/admin/settings?saved=1");
}

export default function SiteSettings() {
  const { policy, bounds, saved } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const formKey = useFormKey(answer);
  const submitting = useNavigation().state === "submitting";
  const errors: FieldErrors = answer?.errors ?? {};
  const values: PolicyForm = answer?.values ?? {
    trustThreshold: String(policy.trustThreshold),
    linkLimit: String(policy.linkLimit),
    blockedWords: policy.blockedWords.join("\n"),
    holdEverything: policy.holdEverything,
  };

  return (
    <div className="auth-form">
      <h1>Site settings</h1>
      <p>
        Changes here apply to posts and comments written from now on; what is already waiting stays in the{" "}
        <Link to="/mod">moderation queue</Link>. Every change is written to the{" "}
        <Link to="/mod/log">moderation log</Link>.
      </p>

      <section aria-labelledby="policy-heading">
        <h2 id="policy-heading">Moderation policy</h2>
        {saved ? <Notice>The moderation policy has been saved.</Notice> : null}
        <Form method="post" noValidate key={formKey}>
          <TextField
            label="Approved contributions before a member is trusted"
            name="trustThreshold"
            type="number"
            inputMode="numeric"
            min={bounds.trustThreshold.min}
            max={bounds.trustThreshold.max}
            step={1}
            defaultValue={values.trustThreshold}
            errors={errors.trustThreshold}
            hint="A member's posts and comments wait for a moderator until this many of theirs have been approved. 0 trusts every member from the start. Moderators and admins are never held."
          />
          <TextField
            label="Links that hold an item"
            name="linkLimit"
            type="number"
            inputMode="numeric"
            min={bounds.linkLimit.min}
            max={bounds.linkLimit.max}
            step={1}
            defaultValue={values.linkLimit}
            errors={errors.linkLimit}
            hint="A post or comment with this many links or more waits for a moderator, however trusted its author."
          />
          <TextAreaField
            label="Blocked words"
            name="blockedWords"
            rows={6}
            defaultValue={values.blockedWords}
            errors={errors.blockedWords}
            hint="One word or phrase per line. A post or comment containing one as a whole word, in any capitals, waits for a moderator, however trusted its author."
          />
          <CheckboxField
            label="Hold every post and comment for review"
            name="holdEverything"
            defaultChecked={values.holdEverything}
            hint="Every new post and comment by a member waits for a moderator, trusted or not: for a wave of spam or a heated week."
          />
          <button type="submit" disabled={submitting}>
            Save policy
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
